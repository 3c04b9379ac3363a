package io.jcompose.cli.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Stdin relayed by the client: asked for on the first read only, then the bytes, then the end. */
class RemoteStdinTest {

    @Test
    void asksOnceThenReadsWhatWasFedUntilTheEnd() throws IOException {
        AtomicInteger asked = new AtomicInteger();
        RemoteStdin in = new RemoteStdin(asked::incrementAndGet);
        assertThat(asked).hasValue(0);
        in.feed("hel".getBytes(StandardCharsets.UTF_8));
        in.feed("lo\n".getBytes(StandardCharsets.UTF_8));
        in.feed(new byte[0]);
        assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello\n");
        assertThat(asked).hasValue(1);
        assertThat(in.read()).isEqualTo(-1);
    }

    @Test
    void aLostClientEndsTheInput() throws IOException {
        RemoteStdin in = new RemoteStdin(() -> { });
        in.end();
        assertThat(in.read(new byte[4], 0, 4)).isEqualTo(-1);
    }
}
