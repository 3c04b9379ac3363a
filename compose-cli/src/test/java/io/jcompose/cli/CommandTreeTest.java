package io.jcompose.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A command tree carries one run's parsed options, so it serves one run and a fresh one has none. */
class CommandTreeTest {
    @TempDir Path dir;

    private Invocation invocation() {
        return new Invocation(dir, Map.of(), InputStream.nullInputStream(), Invocation.Terminals.NONE, Signals.LOCAL);
    }

    private static Object noCache(CommandTree tree) {
        return tree.commandLine().getSubcommands().get("build").getCommandSpec().findOption("--no-cache").getValue();
    }

    @Test
    void aTreeServesOneRunAndTheNextTreeHasNoneOfItsOptions() throws Exception {
        Files.writeString(dir.resolve("compose.yaml"), "services:\n  app:\n    build: .\n");
        PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        CommandTree first = CommandTree.build();
        // no engine at this socket: the build fails after parsing, which is all this test needs
        int code = Main.run(first, invocation(), sink, sink, "-H", "unix://" + dir.resolve("none.sock"), "build", "--no-cache");
        assertThat(code).isNotZero();
        assertThat(noCache(first)).isEqualTo(true);

        assertThatThrownBy(() -> Main.run(first, invocation(), sink, sink, "version")).isInstanceOf(IllegalStateException.class);

        CommandTree next = CommandTree.build();
        assertThat(noCache(next)).isEqualTo(false);
    }
}
