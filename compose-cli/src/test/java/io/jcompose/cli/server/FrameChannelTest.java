package io.jcompose.cli.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.Channels;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The frame codec: type, big-endian length, payload; clean and broken ends of a stream. */
class FrameChannelTest {

    private static byte[] encode(Frame... frames) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        FrameChannel ch = new FrameChannel(Channels.newChannel(new ByteArrayInputStream(new byte[0])), Channels.newChannel(bytes));
        for (Frame f : frames) {
            ch.write(f);
        }
        return bytes.toByteArray();
    }

    private static FrameChannel reading(byte[] bytes) {
        return new FrameChannel(Channels.newChannel(new ByteArrayInputStream(bytes)), Channels.newChannel(new ByteArrayOutputStream()));
    }

    @Test
    void writesTheDocumentedLayout() throws IOException {
        assertThat(encode(Frame.text(Frame.Type.ARG, "ps"))).containsExactly('A', 0, 0, 0, 2, 'p', 's');
        assertThat(encode(Frame.int32(Frame.Type.EXIT, 258))).containsExactly('x', 0, 0, 0, 4, 0, 0, 1, 2);
        assertThat(encode(new Frame(Frame.Type.GO, new byte[0]))).containsExactly('G', 0, 0, 0, 0);
    }

    @Test
    void readsBackWhatWasWrittenThenNullAtTheEnd() throws IOException {
        byte[] big = new byte[200_000];
        Arrays.fill(big, (byte) 7);
        Frame[] frames = {Frame.text(Frame.Type.VERSION, "abc"), Frame.text(Frame.Type.ENV, "K=v=w ✔"), new Frame(Frame.Type.STDIN, big),
            new Frame(Frame.Type.STDIN, new byte[0]), Frame.int32(Frame.Type.EXIT, -1)};
        FrameChannel in = reading(encode(frames));
        for (Frame f : frames) {
            assertThat(in.read()).isEqualTo(f);
        }
        assertThat(in.read()).isNull();
        assertThat(Frame.int32(Frame.Type.EXIT, 130).int32()).isEqualTo(130);
        assertThat(Frame.text(Frame.Type.ENV, "K=✔").text()).isEqualTo("K=✔");
    }

    @Test
    void anEndInsideAFrameIsAnError() throws IOException {
        byte[] whole = encode(Frame.text(Frame.Type.ARG, "version"));
        assertThatThrownBy(() -> reading(Arrays.copyOf(whole, 7)).read()).isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> reading(Arrays.copyOf(whole, 3)).read()).isInstanceOf(EOFException.class);
    }

    @Test
    void refusesAnOversizedLength() {
        byte[] header = {'o', (byte) 0x7f, 0, 0, 0};
        assertThatThrownBy(() -> reading(header).read()).isInstanceOf(IOException.class).hasMessageContaining("bad frame length");
        assertThatThrownBy(() -> new Frame(Frame.Type.STDOUT, new byte[Frame.MAX_PAYLOAD + 1])).isInstanceOf(IllegalArgumentException.class);
    }
}
