package io.jcompose.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jcompose.cli.server.BuildId;
import io.jcompose.cli.server.Frame;
import io.jcompose.cli.server.FrameChannel;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The test JVM's side of the CLI server protocol, against a peer on a real Unix socket that
 * answers as the server would (the real server runs in the root tests: {@code CliServerPathTest}).
 * Every way the server can be missing or decline leaves the work to this JVM (empty); a server
 * that dies mid-command is an error, not a second run.
 */
class CliServerCallTest {
    @TempDir Path dir;

    /** A server for one connection: records the request's frames, then sends {@code answer}. */
    private CompletableFuture<List<Frame>> serveOnce(ServerSocketChannel server, List<Frame> answer) {
        return CompletableFuture.supplyAsync(() -> {
            try (SocketChannel c = server.accept()) {
                FrameChannel frames = new FrameChannel(c);
                List<Frame> request = new ArrayList<>();
                for (Frame f; (f = frames.read()) != null; ) {
                    request.add(f);
                    if (f.type() == Frame.Type.GO) {
                        break;
                    }
                }
                for (Frame f : answer) {
                    frames.write(f);
                }
                return request;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    private ServerSocketChannel listen() throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(dir.resolve(CliServerCall.SOCKET_NAME)));
        return server;
    }

    @Test
    void sendsTheRequestAsTheNativeClientDoesAndCollectsOutputAndExitCode() throws Exception {
        try (ServerSocketChannel server = listen()) {
            var request = serveOnce(server, List.of(Frame.text(Frame.Type.STDOUT, "cache\n"), Frame.text(Frame.Type.STDERR, "warn\n"),
                    Frame.text(Frame.Type.STDOUT, "db\n"), Frame.int32(Frame.Type.EXIT, 3)));
            CliServerCall call = CliServerCall.beside(dir.resolve("jcompose.sock")).orElseThrow();

            Optional<CliServerCall.Outcome> outcome = call.run(dir, Map.of("A", "1"), List.of("-p", "x", "config", "--services"));

            assertThat(outcome).contains(new CliServerCall.Outcome(3, "cache\ndb\n", "warn\n"));
            List<Frame> sent = request.get(10, TimeUnit.SECONDS);
            assertThat(sent).containsExactly(Frame.text(Frame.Type.VERSION, BuildId.current()), Frame.text(Frame.Type.ARG, "-p"),
                    Frame.text(Frame.Type.ARG, "x"), Frame.text(Frame.Type.ARG, "config"), Frame.text(Frame.Type.ARG, "--services"),
                    Frame.text(Frame.Type.ENV, "A=1"), Frame.text(Frame.Type.CWD, dir.toString()),
                    new Frame(Frame.Type.TERMINALS, new byte[7]), new Frame(Frame.Type.GO, new byte[0]));
        }
    }

    @Test
    void noSocketAStaleSocketADeclineOrASilentCloseMeanThisJvmDoesTheWork() throws Exception {
        assertThat(CliServerCall.beside(dir.resolve("jcompose.sock"))).as("no socket file").isEmpty();

        Files.createFile(dir.resolve(CliServerCall.SOCKET_NAME));
        assertThat(new CliServerCall(dir.resolve(CliServerCall.SOCKET_NAME)).run(dir, Map.of(), List.of("ps")))
                .as("a file nobody listens on").isEmpty();
        Files.delete(dir.resolve(CliServerCall.SOCKET_NAME));

        try (ServerSocketChannel server = listen()) {
            CliServerCall call = new CliServerCall(dir.resolve(CliServerCall.SOCKET_NAME));
            var declined = serveOnce(server, List.of(Frame.text(Frame.Type.DECLINE, "the CLI server is build a, the client b")));
            assertThat(call.run(dir, Map.of(), List.of("up"))).as("declined").isEmpty();
            declined.get(10, TimeUnit.SECONDS);

            var silent = serveOnce(server, List.of());
            assertThat(call.run(dir, Map.of(), List.of("up"))).as("closed without a word (another user)").isEmpty();
            silent.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aServerThatEndsMidCommandIsAnErrorNotAFallback() throws Exception {
        try (ServerSocketChannel server = listen()) {
            var answer = serveOnce(server, List.of(Frame.text(Frame.Type.STDERR, " Container x-cache-1  Creating\n")));
            CliServerCall call = new CliServerCall(dir.resolve(CliServerCall.SOCKET_NAME));

            assertThatThrownBy(() -> call.run(dir, Map.of(), List.of("up", "-d"))).isInstanceOf(ComposeException.class)
                    .hasMessage("the CLI server in jcomposed closed the connection before `up -d` ended: Container x-cache-1  Creating");
            answer.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void followMatchesLinesSplitAcrossFramesAndTellsAnEndFromAMatch() throws Exception {
        try (ServerSocketChannel server = listen()) {
            CliServerCall call = new CliServerCall(dir.resolve(CliServerCall.SOCKET_NAME));
            long later = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);

            var split = serveOnce(server, List.of(Frame.text(Frame.Type.STDOUT, "starting\r\nReady to acc"),
                    Frame.text(Frame.Type.STDOUT, "ept connections\n")));
            assertThat(call.follow(dir, Map.of(), List.of("logs", "-f"), l -> l.equals("Ready to accept connections"), later))
                    .isEqualTo(CliServerCall.Followed.MATCHED);
            split.get(10, TimeUnit.SECONDS);

            var onStderrWithoutNewline = serveOnce(server, List.of(Frame.text(Frame.Type.STDERR, "ready"), Frame.int32(Frame.Type.EXIT, 0)));
            assertThat(call.follow(dir, Map.of(), List.of("logs", "-f"), l -> l.equals("ready"), later))
                    .isEqualTo(CliServerCall.Followed.MATCHED);
            onStderrWithoutNewline.get(10, TimeUnit.SECONDS);

            var ended = serveOnce(server, List.of(Frame.text(Frame.Type.STDOUT, "other\n"), Frame.int32(Frame.Type.EXIT, 0)));
            assertThat(call.follow(dir, Map.of(), List.of("logs", "-f"), l -> l.equals("ready"), later))
                    .isEqualTo(CliServerCall.Followed.ENDED);
            ended.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void followGivesUpAtTheDeadlineByClosingTheConnection() throws Exception {
        try (ServerSocketChannel server = listen()) {
            CliServerCall call = new CliServerCall(dir.resolve(CliServerCall.SOCKET_NAME));
            // a peer that reads the request and then says nothing until the client hangs up
            var silent = CompletableFuture.supplyAsync(() -> {
                try (SocketChannel c = server.accept()) {
                    return c.read(java.nio.ByteBuffer.allocate(1 << 16)) > 0 && c.read(java.nio.ByteBuffer.allocate(1 << 16)) <= 0;
                } catch (IOException e) {
                    return true;
                }
            });
            long start = System.nanoTime();
            assertThat(call.follow(dir, Map.of(), List.of("logs", "-f"), l -> true, start + TimeUnit.MILLISECONDS.toNanos(300)))
                    .isEqualTo(CliServerCall.Followed.ENDED);
            assertThat(System.nanoTime() - start).as("ended at the deadline, not later").isLessThan(TimeUnit.SECONDS.toNanos(10));
            silent.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void theLastErrorLineIsTheCommandsError() {
        assertThat(new CliServerCall.Outcome(1, "", " Container a  Error\njcompose: container a exited (3)\n\n").lastErrorLine())
                .isEqualTo("jcompose: container a exited (3)");
        assertThat(new CliServerCall.Outcome(1, "", "").lastErrorLine()).isEmpty();
    }
}
