package io.jcompose.testing;

import io.jcompose.cli.server.BuildId;
import io.jcompose.cli.server.Frame;
import io.jcompose.cli.server.FrameChannel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * A {@code jcompose} command run by the CLI server inside jcomposed ({@code docs/cli-server.md})
 * instead of in this JVM: the warm daemon loads the file, plans and reconciles, and the test JVM
 * pays a socket and a few frames instead of the model, the planner and their class loading
 * (issue 11's benchmark, {@code bench/README.md}). The same protocol as the native client
 * ({@code docs/cli.md}, "CLI server"), without a terminal and without stdin.
 *
 * @param socket the CLI server's socket ({@value #SOCKET_NAME} beside the engine's API socket)
 */
record CliServerCall(Path socket) {
    /** The CLI server's socket name, in the directory of the engine's API socket. */
    static final String SOCKET_NAME = "jcompose-cli.sock";

    /** What the command printed and its exit code. */
    record Outcome(int exitCode, String stdout, String stderr) {
        /** The last non-blank line of stderr (the command's error), or "" when there is none. */
        String lastErrorLine() {
            return stderr.lines().filter(l -> !l.isBlank()).reduce((a, b) -> b).orElse("").strip();
        }
    }

    /**
     * The CLI server next to an engine socket, when its socket exists.
     *
     * @param engineSocket the engine's API socket
     * @return the server, or empty when the daemon runs without one (or another daemon answers there)
     */
    static Optional<CliServerCall> beside(Path engineSocket) {
        Path cli = engineSocket.resolveSibling(SOCKET_NAME);
        return Files.exists(cli) ? Optional.of(new CliServerCall(cli)) : Optional.empty();
    }

    /**
     * Runs one command and waits for its end.
     *
     * @param cwd the command's working directory (absolute)
     * @param env its whole environment
     * @param args its arguments (global flags, the command, its flags)
     * @return the outcome, or empty when the server is not there or declines before running
     *     anything (another build, another user): the caller then does the work in this JVM
     * @throws ComposeException when the server ends the connection in the middle of the command
     */
    Optional<Outcome> run(Path cwd, Map<String, String> env, List<String> args) {
        SocketChannel channel = connect();
        if (channel == null) {
            return Optional.empty();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        boolean answered = false;
        try (channel) {
            FrameChannel frames = request(channel, cwd, env, args);
            for (Frame f; (f = frames.read()) != null; ) {
                switch (f.type()) {
                    case Frame.Type.DECLINE -> {
                        return Optional.empty();
                    }
                    case Frame.Type.WANT_STDIN -> frames.write(new Frame(Frame.Type.STDIN, new byte[0])); // stdin is empty
                    case Frame.Type.STDOUT -> out.writeBytes(f.payload());
                    case Frame.Type.STDERR -> err.writeBytes(f.payload());
                    case Frame.Type.EXIT -> {
                        return Optional.of(new Outcome(f.int32(), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)));
                    }
                    default -> { } // a frame type of a newer server: nothing for us
                }
                answered = true;
            }
        } catch (IOException e) {
            if (!answered) {
                return Optional.empty();
            }
        }
        if (!answered) {
            return Optional.empty(); // closed without a word: another user's daemon
        }
        throw new ComposeException("the CLI server in jcomposed closed the connection before `" + String.join(" ", args)
                + "` ended" + (err.size() > 0 ? ": " + err.toString(StandardCharsets.UTF_8).strip() : ""));
    }

    /** How {@link #follow} ended. */
    enum Followed {
        /** A line matched; the command was ended by closing the connection. */
        MATCHED,
        /** The command ended, or the connection did (the timeout closed it): ask the engine why. */
        ENDED,
        /** No server, or it declined: nothing was run. */
        NOT_RUN
    }

    /**
     * Runs a command that prints lines until it is stopped ({@code logs --follow}) and checks
     * each line of stdout and stderr as it arrives; closing the connection on a match ends the
     * command in the server (it gets the Ctrl-C of a vanished client).
     *
     * @param until whether a line is the one waited for
     * @param deadlineNanos when to give up ({@link System#nanoTime()}): the connection is closed then
     */
    Followed follow(Path cwd, Map<String, String> env, List<String> args, Predicate<String> until, long deadlineNanos) {
        SocketChannel channel = connect();
        if (channel == null) {
            return Followed.NOT_RUN;
        }
        Thread timer = Thread.ofVirtual().name("jcompose-follow-timer").start(() -> {
            try {
                Thread.sleep(Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime())));
                channel.close();
            } catch (InterruptedException | IOException e) {
                // matched or ended first
            }
        });
        LineSplitter stdout = new LineSplitter(until);
        LineSplitter stderr = new LineSplitter(until);
        try (channel) {
            FrameChannel frames = request(channel, cwd, env, args);
            for (Frame f; (f = frames.read()) != null; ) {
                switch (f.type()) {
                    case Frame.Type.DECLINE -> {
                        return Followed.NOT_RUN;
                    }
                    case Frame.Type.WANT_STDIN -> frames.write(new Frame(Frame.Type.STDIN, new byte[0]));
                    case Frame.Type.STDOUT, Frame.Type.STDERR -> {
                        if ((f.type() == Frame.Type.STDOUT ? stdout : stderr).matches(f.payload())) {
                            return Followed.MATCHED;
                        }
                    }
                    case Frame.Type.EXIT -> {
                        return stdout.matchesRest() || stderr.matchesRest() ? Followed.MATCHED : Followed.ENDED;
                    }
                    default -> { }
                }
            }
            return Followed.ENDED;
        } catch (IOException e) {
            return Followed.ENDED; // closed by the timer, or the daemon went away
        } finally {
            timer.interrupt();
        }
    }

    /** Lines out of frames that may split them anywhere. */
    private static final class LineSplitter {
        private final Predicate<String> until;
        private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

        LineSplitter(Predicate<String> until) {
            this.until = until;
        }

        /** Adds bytes; true when a complete line among them matches. */
        boolean matches(byte[] bytes) {
            for (byte b : bytes) {
                if (b == '\n') {
                    if (matchesRest()) {
                        return true;
                    }
                } else {
                    partial.write(b);
                }
            }
            return false;
        }

        /** Checks (and clears) the line collected so far. */
        boolean matchesRest() {
            String line = partial.toString(StandardCharsets.UTF_8);
            partial.reset();
            if (line.endsWith("\r")) {
                line = line.substring(0, line.length() - 1);
            }
            return !line.isEmpty() && until.test(line);
        }
    }

    /** A connection to the server, or null when nobody listens (a stale socket file). */
    private SocketChannel connect() {
        try {
            return SocketChannel.open(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            return null;
        }
    }

    /** Sends the request frames, up to {@code G}. */
    private static FrameChannel request(SocketChannel channel, Path cwd, Map<String, String> env, List<String> args) throws IOException {
        FrameChannel frames = new FrameChannel(channel);
        frames.write(Frame.text(Frame.Type.VERSION, BuildId.current()));
        for (String a : args) {
            frames.write(Frame.text(Frame.Type.ARG, a));
        }
        for (Map.Entry<String, String> e : env.entrySet()) {
            frames.write(Frame.text(Frame.Type.ENV, e.getKey() + "=" + e.getValue()));
        }
        frames.write(Frame.text(Frame.Type.CWD, cwd.toAbsolutePath().toString()));
        frames.write(new Frame(Frame.Type.TERMINALS, new byte[7])); // no terminal: plain output, no size
        frames.write(new Frame(Frame.Type.GO, new byte[0]));
        return frames;
    }
}
