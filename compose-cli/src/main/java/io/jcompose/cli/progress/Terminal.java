package io.jcompose.cli.progress;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What jcompose needs to know about the terminal on stderr, where compose draws its progress:
 * whether there is one, and its size.
 *
 * <p>Whether: stderr's {@code /proc/self/fd/2} link names a terminal device (what {@code isatty(2)}
 * answers, at no cost); without {@code /proc}, {@link java.io.Console#isTerminal()} (which looks at
 * stdin and stdout). Size: {@code ioctl(2, TIOCGWINSZ)} through the FFM API, else 80x24 as compose
 * falls back. The first FFM call links the native function and costs 0.1–0.5 s on this machine,
 * so it is made only for the terminal display, off the caller's thread (see {@link TtyProgress}).
 */
public final class Terminal {
    /** Compose's size when the terminal does not tell. */
    public static final int DEFAULT_WIDTH = 80;
    /** Compose's size when the terminal does not tell. */
    public static final int DEFAULT_HEIGHT = 24;
    private static final int STDERR = 2;
    private static final long TIOCGWINSZ = 0x5413; // Linux, x86_64 and aarch64

    private Terminal() {}

    /**
     * Whether stderr is a terminal (compose's test for {@code --progress auto}).
     *
     * @return true on a terminal
     */
    public static boolean stderrIsTerminal() {
        try {
            String device = Files.readSymbolicLink(Path.of("/proc/self/fd/" + STDERR)).toString();
            return device.startsWith("/dev/pts/") || device.startsWith("/dev/tty") || device.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException e) { // no /proc: ask the Console
            java.io.Console console = System.console();
            return console != null && console.isTerminal();
        }
    }

    /**
     * The size of the terminal on stderr.
     *
     * @return {@code {columns, rows}}, or 80x24 when it cannot be told
     */
    public static int[] size() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment winsize = arena.allocate(8); // struct winsize: 4 unsigned shorts
            int rc = (int) Ioctl.HANDLE.invokeExact(STDERR, TIOCGWINSZ, winsize);
            int rows = Short.toUnsignedInt(winsize.get(ValueLayout.JAVA_SHORT, 0));
            int cols = Short.toUnsignedInt(winsize.get(ValueLayout.JAVA_SHORT, 2));
            if (rc == 0 && rows > 0 && cols > 0) {
                return new int[] {cols, rows};
            }
        } catch (Throwable e) {
            // fall through to compose's default
        }
        return new int[] {DEFAULT_WIDTH, DEFAULT_HEIGHT};
    }

    /** {@code ioctl}, linked once, on first use. */
    private static final class Ioctl {
        static final MethodHandle HANDLE = Linker.nativeLinker().downcallHandle(
                Linker.nativeLinker().defaultLookup().findOrThrow("ioctl"),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG,
                        ValueLayout.ADDRESS),
                Linker.Option.firstVariadicArg(2));
    }
}
