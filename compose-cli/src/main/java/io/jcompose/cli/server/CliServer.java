package io.jcompose.cli.server;

import io.jcompose.cli.CommandWord;
import io.jcompose.cli.Invocation;
import io.jcompose.cli.Main;
import io.jcompose.cli.RunThreads;
import io.jcompose.runtime.io.ChunkQueueInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@code jcompose} command lines for the native client inside a warm JVM (the daemon), so a
 * command costs no JVM start. Listens on {@value #SOCKET_NAME} (mode 0600) in a given directory,
 * serves only peers of its own uid ({@code SO_PEERCRED}), and runs each request as
 * {@link Main#run(Invocation, PrintStream, PrintStream, String...)} on its own virtual thread with
 * the client's working directory, environment, stdin, terminal facts and signals. The protocol
 * and what falls back to the JVM launcher are in docs/cli.md.
 */
public final class CliServer implements AutoCloseable {
    /** The socket's name, next to the daemon's API socket. */
    public static final String SOCKET_NAME = "jcompose-cli.sock";
    /** How long a run whose client vanished gets to end after the first, then the second interrupt. */
    static final long DROP_GRACE_SECONDS = 10;

    private static final Logger LOG = LoggerFactory.getLogger(CliServer.class);

    private final Path socket;
    private final String buildId;
    private final ServerSocketChannel channel;
    private final UserPrincipal owner;
    private final Set<SocketChannel> connections = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;

    private CliServer(Path socket, String buildId, ServerSocketChannel channel, UserPrincipal owner) {
        this.socket = socket;
        this.buildId = buildId;
        this.channel = channel;
        this.owner = owner;
        this.acceptor = Thread.ofPlatform().daemon().name("jcompose-cli-server").unstarted(this::acceptLoop);
    }

    /**
     * Starts serving in {@code directory}, replacing a stale socket file left there.
     *
     * @param directory where to put {@value #SOCKET_NAME}
     * @param buildId the build this server's code is ({@link BuildId#current()}); clients of another build are declined
     * @return the running server
     * @throws IOException when the socket cannot be made
     */
    public static CliServer start(Path directory, String buildId) throws IOException {
        Path socket = directory.resolve(SOCKET_NAME);
        // Bind inside a private directory, set 0600, then rename into place: the socket is never
        // reachable with wider permissions, whatever the umask.
        Path staging = Files.createTempDirectory(directory, ".jcompose-cli-", PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            Path staged = staging.resolve(SOCKET_NAME);
            server.bind(UnixDomainSocketAddress.of(staged));
            Files.setPosixFilePermissions(staged, PosixFilePermissions.fromString("rw-------"));
            UserPrincipal owner = Files.getOwner(staged);
            Files.move(staged, socket, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            CliServer s = new CliServer(socket, buildId, server, owner);
            s.acceptor.start();
            LOG.info("CLI server listening on {}", socket);
            return s;
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        } finally {
            Files.deleteIfExists(staging.resolve(SOCKET_NAME));
            Files.deleteIfExists(staging);
        }
    }

    /**
     * The socket clients connect to.
     *
     * @return its path
     */
    public Path socket() {
        return socket;
    }

    /** Stops accepting, closes the connections of runs still going and removes the socket file. */
    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // closing a listening socket does not fail in a way that matters here
        }
        for (SocketChannel c : connections) {
            closeQuietly(c);
        }
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            LOG.warn("cannot remove {}: {}", socket, e.toString());
        }
    }

    private void acceptLoop() {
        while (channel.isOpen()) {
            SocketChannel c;
            try {
                c = channel.accept();
            } catch (IOException e) {
                if (channel.isOpen()) {
                    LOG.warn("CLI server accept failed: {}", e.toString());
                }
                continue;
            }
            connections.add(c);
            Thread.ofVirtual().name("jcompose-cli-conn").start(() -> {
                try {
                    serve(c);
                } catch (IOException | RuntimeException e) {
                    LOG.debug("CLI connection ended: {}", e.toString());
                } finally {
                    connections.remove(c);
                    closeQuietly(c);
                }
            });
        }
    }

    /** One client: check its uid, read the request, run it, relay until it ends. */
    private void serve(SocketChannel c) throws IOException {
        UnixDomainPrincipal peer = c.getOption(ExtendedSocketOptions.SO_PEERCRED);
        if (!peer.user().equals(owner)) {
            LOG.warn("CLI server: refused a client of user {} (serving {} only)", peer.user().getName(), owner.getName());
            return; // closed without a frame: the client falls back to the JVM
        }
        FrameChannel frames = new FrameChannel(c);
        Request request = Request.read(frames);
        if (request == null) {
            return;
        }
        String why = declined(request);
        if (why != null) {
            frames.write(Frame.text(Frame.Type.DECLINE, why));
            return;
        }
        new Run(frames, request).serve();
    }

    /** Why the server does not run this request (the client then runs the JVM launcher), or null. */
    String declined(Request r) {
        if (!buildId.equals(r.buildId())) {
            return "the CLI server is build " + buildId + ", the client " + r.buildId();
        }
        String command = CommandWord.of(r.args()).orElse("");
        // An interactive exec/run puts the user's terminal into raw mode and follows its resizes:
        // that needs the terminal in the process that runs the command.
        if (r.terminals().stdin() && (command.equals("exec") || command.equals("run"))) {
            return command + " on a terminal runs in the JVM launcher";
        }
        // `engine stop` would stop the daemon this very run lives in, mid-answer
        if (command.equals("engine")) {
            return "engine commands manage the daemon itself and run in the JVM launcher";
        }
        return null;
    }

    private static void closeQuietly(SocketChannel c) {
        try {
            c.close();
        } catch (IOException e) {
            // already gone
        }
    }

    /**
     * What a client asks for.
     *
     * @param buildId the client's build
     * @param args the command line
     * @param env the environment
     * @param cwd the working directory
     * @param terminals isatty of 0, 1, 2
     * @param size the terminal's columns and rows when the request was made (0 when unknown)
     */
    record Request(String buildId, String[] args, Map<String, String> env, Path cwd, Invocation.Terminals terminals, int[] size) {

        /** Reads the frames up to {@link Frame.Type#GO}; null when the client left before. */
        static Request read(FrameChannel frames) throws IOException {
            String build = null;
            List<String> args = new ArrayList<>();
            Map<String, String> env = new LinkedHashMap<>();
            Path cwd = null;
            boolean[] tty = new boolean[3];
            int[] size = {0, 0};
            for (Frame f; (f = frames.read()) != null; ) {
                switch (f.type()) {
                    case Frame.Type.VERSION -> build = f.text();
                    case Frame.Type.ARG -> args.add(f.text());
                    case Frame.Type.ENV -> {
                        String e = f.text();
                        int eq = e.indexOf('=');
                        if (eq > 0) {
                            env.put(e.substring(0, eq), e.substring(eq + 1));
                        }
                    }
                    case Frame.Type.CWD -> cwd = Path.of(f.text());
                    case Frame.Type.TERMINALS -> {
                        ByteBuffer b = ByteBuffer.wrap(f.payload());
                        if (f.payload().length != 7) {
                            throw new IOException("terminal frame of " + f.payload().length + " bytes, not 7");
                        }
                        for (int i = 0; i < 3; i++) {
                            tty[i] = b.get() != 0;
                        }
                        size = new int[] {Short.toUnsignedInt(b.getShort()), Short.toUnsignedInt(b.getShort())};
                    }
                    case Frame.Type.GO -> {
                        if (build == null || cwd == null || !cwd.isAbsolute()) {
                            throw new IOException("incomplete request (no build id or no absolute working directory)");
                        }
                        return new Request(build, args.toArray(String[]::new), env, cwd,
                                new Invocation.Terminals(tty[0], tty[1], tty[2], size::clone), size);
                    }
                    default -> throw new IOException("unexpected frame " + f + " in a request");
                }
            }
            return null;
        }
    }

    /** One request being run: its thread, its streams and the frames the client sends meanwhile. */
    private static final class Run {
        private final FrameChannel frames;
        private final Request request;
        private final AtomicReference<int[]> size;
        private final AtomicBoolean finished = new AtomicBoolean();
        private final ChunkQueueInputStream stdin;
        private final PrintStream out;
        private final PrintStream err;
        private final RemoteSignals signals;
        private final RunThreads threads = new RunThreads();
        private volatile Thread thread;

        Run(FrameChannel frames, Request request) {
            this.frames = frames;
            this.request = request;
            this.size = new AtomicReference<>(request.size());
            // the client reads its stdin only once the run first reads here, so a command that never
            // reads stdin does not swallow what the user types next
            this.stdin = new ChunkQueueInputStream(() -> send(new Frame(Frame.Type.WANT_STDIN, new byte[0])));
            this.out = new PrintStream(new BufferedOutputStream(new FrameOutput(frames, Frame.Type.STDOUT), 1 << 16), true,
                    StandardCharsets.UTF_8);
            this.err = new PrintStream(new BufferedOutputStream(new FrameOutput(frames, Frame.Type.STDERR), 1 << 13), true,
                    StandardCharsets.UTF_8);
            this.signals = new RemoteSignals(code -> {
                Thread t = thread;
                if (t != null) {
                    t.interrupt();
                }
                finish(code);
                threads.close(); // as the end of a process would end them
            });
        }

        void serve() throws IOException {
            Invocation.Terminals t = request.terminals();
            Invocation invocation = new Invocation(request.cwd(), request.env(), stdin,
                    new Invocation.Terminals(t.stdin(), t.stdout(), t.stderr(), this::terminalSize), signals, threads);
            thread = Thread.ofVirtual().name("jcompose-cli-run").start(() -> {
                int code = 1;
                try {
                    code = Main.run(invocation, out, err, request.args());
                } catch (RuntimeException | Error e) {
                    err.println("jcompose: " + e);
                } finally {
                    finish(code);
                    threads.close(); // the threads the run started end with it, as with its process
                }
            });
            try {
                for (Frame f; (f = frames.read()) != null; ) {
                    switch (f.type()) {
                        case Frame.Type.STDIN -> {
                            if (f.payload().length == 0) {
                                stdin.end(); // the protocol's end of input
                            } else {
                                stdin.offer(f.payload());
                            }
                        }
                        case Frame.Type.SIGNAL -> {
                            String name = f.text();
                            Thread.ofVirtual().name("jcompose-cli-signal").start(() -> signals.deliver(name));
                        }
                        case Frame.Type.WINSIZE -> {
                            ByteBuffer b = ByteBuffer.wrap(f.payload());
                            if (f.payload().length == 4) {
                                size.set(new int[] {Short.toUnsignedInt(b.getShort()), Short.toUnsignedInt(b.getShort())});
                            }
                        }
                        default -> throw new IOException("unexpected frame " + f + " while running");
                    }
                }
            } catch (IOException e) {
                LOG.debug("CLI client connection broke: {}", e.toString());
            }
            stdin.end();
            if (!finished.get()) {
                dropped();
            }
        }

        /** The client vanished mid-run: Ctrl-C, then (if still going) a second Ctrl-C and an interrupt. */
        private void dropped() {
            Thread t = thread;
            try {
                signals.deliver("INT");
                if (!t.join(java.time.Duration.ofSeconds(DROP_GRACE_SECONDS))) {
                    signals.deliver("INT");
                    t.interrupt();
                    if (!t.join(java.time.Duration.ofSeconds(DROP_GRACE_SECONDS))) {
                        LOG.warn("a CLI run ({}) did not end {} s after its client left", String.join(" ", request.args()),
                                2 * DROP_GRACE_SECONDS);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private int[] terminalSize() {
            int[] s = size.get();
            return s[0] > 0 && s[1] > 0 ? s.clone() : new int[] {io.jcompose.cli.progress.Terminal.DEFAULT_WIDTH,
                    io.jcompose.cli.progress.Terminal.DEFAULT_HEIGHT};
        }

        /** Sends the exit code, once; output written after it (by a run a signal ended) is dropped. */
        private void finish(int code) {
            if (!finished.compareAndSet(false, true)) {
                return;
            }
            out.flush();
            err.flush();
            send(Frame.int32(Frame.Type.EXIT, code));
        }

        private void send(Frame f) {
            try {
                frames.write(f);
            } catch (IOException e) {
                // the client is gone: the read loop notices and handles it
            }
        }
    }

    /** An output stream whose writes become frames of one type. */
    private static final class FrameOutput extends OutputStream {
        private static final int CHUNK = 1 << 20;
        private final FrameChannel frames;
        private final byte type;

        FrameOutput(FrameChannel frames, byte type) {
            this.frames = frames;
            this.type = type;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            for (int at = off; at < off + len; at += CHUNK) {
                frames.write(type, b, at, Math.min(CHUNK, off + len - at));
            }
        }
    }
}
