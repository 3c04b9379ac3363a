package io.jcompose.cli.progress;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * What jcompose needs to know about the terminal on stderr, where compose draws its progress:
 * whether there is one ({@code isatty(2)}) and its size ({@code TIOCGWINSZ}), through the FFM API.
 * Without native access it falls back to {@link java.io.Console#isTerminal()} (stdin and stdout)
 * and to 80x24, compose's own fallback.
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
            MethodHandle isatty = Linker.nativeLinker().downcallHandle(
                    Linker.nativeLinker().defaultLookup().findOrThrow("isatty"),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
            return (int) isatty.invokeExact(STDERR) == 1;
        } catch (Throwable e) { // no native access: ask the Console, which looks at stdin and stdout
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
            MethodHandle ioctl = Linker.nativeLinker().downcallHandle(
                    Linker.nativeLinker().defaultLookup().findOrThrow("ioctl"),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG,
                            ValueLayout.ADDRESS),
                    Linker.Option.firstVariadicArg(2));
            MemorySegment winsize = arena.allocate(8); // struct winsize: 4 unsigned shorts
            int rc = (int) ioctl.invokeExact(STDERR, TIOCGWINSZ, winsize);
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
}
