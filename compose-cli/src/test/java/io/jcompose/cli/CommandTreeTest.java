package io.jcompose.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Model.OptionSpec;

/**
 * A run's command tree: only the command it names (cheap to build), its own parsed values, and
 * the same parse as with every command present.
 */
class CommandTreeTest {
    @TempDir Path dir;

    private Invocation invocation(Map<String, String> env) {
        return new Invocation(dir, env, InputStream.nullInputStream(), Invocation.Terminals.NONE, Signals.LOCAL);
    }

    private static Object noCache(CommandTree tree) {
        return tree.commandLine().getSubcommands().get("build").getCommandSpec().findOption("--no-cache").getValue();
    }

    @Test
    void aNamedCommandGetsOnlyItsOwnModelElseAll() {
        assertThat(CommandTree.forArgs("-p", "up", "--dry-run", "build", "--no-cache").commandLine().getSubcommands()).containsOnlyKeys("build");
        assertThat(CommandTree.forArgs("--profile", "up", "up").commandLine().getSubcommands()).containsOnlyKeys("up");
        assertThat(CommandTree.forArgs("--help").commandLine().getSubcommands()).hasSize(CommandTree.COMMANDS.size());
        assertThat(CommandTree.forArgs("bogus").commandLine().getSubcommands()).hasSize(CommandTree.COMMANDS.size());
        // the options the root hands down still reach a command added on its own
        CommandTree exec = CommandTree.forArgs("exec", "web", "sh");
        assertThat(exec.commandLine().getSubcommands().get("exec").getCommandSpec().findOption("--dry-run")).isNotNull();
        assertThat(exec.commandLine().getSubcommands().get("exec").getCommandSpec().findOption("--help")).isNotNull();
        assertThat(exec.commandLine().getSubcommands().get("exec").getCommandSpec().parser().stopAtPositional()).isTrue();
    }

    @Test
    void theCommandWordSkipsExactlyTheGlobalFlagsThatTakeAValue() {
        // if these differed, a flag's value could be taken for the command and the wrong model built
        Set<String> valued = new TreeSet<>();
        for (OptionSpec o : CommandTree.full().commandLine().getCommandSpec().options()) {
            if (o.arity().max() > 0) {
                valued.addAll(List.of(o.names()));
            }
        }
        assertThat(valued).isEqualTo(new TreeSet<>(CommandWord.VALUED));
    }

    @Test
    void aTreeServesOneRunAndTheNextRunDoesNotSeeItsOptions() throws Exception {
        Files.writeString(dir.resolve("compose.yaml"), "services:\n  app:\n    build: .\n");
        PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        String[] args = {"-H", "unix://" + dir.resolve("none.sock"), "build", "--no-cache"};
        CommandTree first = CommandTree.forArgs(args);
        // no engine at this socket: the build fails after parsing, which is all this test needs
        assertThat(Main.run(first, invocation(Map.of()), sink, sink, args)).isNotZero();
        assertThat(noCache(first)).isEqualTo(true);

        assertThatThrownBy(() -> Main.run(first, invocation(Map.of()), sink, sink, "build")).isInstanceOf(IllegalStateException.class);
        assertThat(noCache(CommandTree.forArgs("build"))).isEqualTo(false);
    }

    @Test
    void concurrentRunsWithDifferentOptionsSeeOnlyTheirOwn() throws Exception {
        Files.writeString(dir.resolve("compose.yaml"), "services:\n  app:\n    image: busybox\n    environment:\n      V: ${V:-unset}\n");
        List<Callable<String>> runs = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            String name = "p" + i;
            boolean interpolate = i % 2 == 0;
            runs.add(() -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                List<String> args = new ArrayList<>(List.of("-p", name, "config"));
                if (!interpolate) {
                    args.add("--no-interpolate");
                }
                int code = Main.run(invocation(Map.of("V", name)), o, o, args.toArray(String[]::new));
                return code + "\n" + out.toString(StandardCharsets.UTF_8);
            });
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(6)) {
            List<Future<String>> results = pool.invokeAll(runs);
            for (int i = 0; i < results.size(); i++) {
                String r = results.get(i).get();
                assertThat(r).startsWith("0\n").contains("name: p" + i + "\n");
                if (i % 2 == 0) {
                    assertThat(r).contains("V: p" + i).doesNotContain("${V");
                } else {
                    assertThat(r).contains("${V:-unset}");
                }
            }
        }
    }
}
