package io.jcompose.cli.tty;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The local terminal of an interactive {@code exec} or {@code run}: whether a standard stream is
 * one, its raw mode and its size. Raw mode and size go through {@code stty} on {@code /dev/tty}
 * (what the docker CLI does with {@code term.MakeRaw}/{@code GetWinsize}), so no native code is
 * needed; resizes are signalled by {@code SIGWINCH} ({@link #onResize}).
 */
public final class LocalTerminal {
    private static final File TTY = new File("/dev/tty");

    private LocalTerminal() {}

    /**
     * Whether the file descriptor names a terminal device (what {@code isatty(fd)} answers),
     * read from {@code /proc/self/fd}.
     *
     * @param fd 0, 1 or 2
     * @return true on a terminal
     */
    public static boolean isTerminal(int fd) {
        try {
            String device = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            return device.startsWith("/dev/pts/") || device.startsWith("/dev/tty") || device.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    /**
     * Puts the terminal into raw mode (no echo, no line editing, no signals: Ctrl-C goes to the
     * container) until the returned mode is closed; a shutdown hook restores it too, so an error
     * or a kill of jcompose never leaves the user's shell raw.
     *
     * @return the mode to close; a no-op when there is no {@code /dev/tty} or {@code stty} fails
     */
    public static RawMode raw() {
        Optional<String> saved = stty("-g");
        if (saved.isEmpty() || stty("raw", "-echo").isEmpty()) {
            return RawMode.NONE;
        }
        String state = saved.get().strip();
        Thread restore = new Thread(() -> stty(state), "jcompose-tty-restore");
        Runtime.getRuntime().addShutdownHook(restore);
        return () -> {
            stty(state);
            try {
                Runtime.getRuntime().removeShutdownHook(restore);
            } catch (IllegalStateException e) {
                // shutting down: the hook restores (again, harmlessly)
            }
        };
    }

    /**
     * The terminal's size.
     *
     * @return {@code {rows, columns}}, or empty when there is no terminal
     */
    public static Optional<int[]> size() {
        return stty("size").flatMap(LocalTerminal::parseSize);
    }

    /** Parses {@code stty size}'s {@code "rows cols"}. */
    static Optional<int[]> parseSize(String text) {
        String[] parts = text.strip().split("\\s+");
        if (parts.length != 2) {
            return Optional.empty();
        }
        try {
            int rows = Integer.parseInt(parts[0]);
            int cols = Integer.parseInt(parts[1]);
            return rows > 0 && cols > 0 ? Optional.of(new int[] {rows, cols}) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /**
     * Calls {@code action} on every {@code SIGWINCH} until the returned handle is closed.
     *
     * @param action what to do on a resize (from a signal thread: keep it short)
     * @return the handle; a no-op when the JVM cannot handle the signal
     */
    public static AutoCloseable onResize(Runnable action) {
        try {
            sun.misc.Signal winch = new sun.misc.Signal("WINCH");
            sun.misc.SignalHandler previous = sun.misc.Signal.handle(winch, s -> action.run());
            return () -> sun.misc.Signal.handle(winch, previous);
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            return () -> { };
        }
    }

    /** Runs {@code stty args} on /dev/tty; its output, or empty when it failed. */
    private static Optional<String> stty(String... args) {
        if (!TTY.exists()) {
            return Optional.empty();
        }
        List<String> command = new ArrayList<>(List.of("stty"));
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectInput(TTY).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.empty();
            }
            return p.exitValue() == 0 ? Optional.of(out) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** A raw mode in effect; closing restores the terminal as it was. */
    @FunctionalInterface
    public interface RawMode extends AutoCloseable {
        /** No raw mode (no terminal). */
        RawMode NONE = () -> { };

        @Override
        void close();
    }
}
