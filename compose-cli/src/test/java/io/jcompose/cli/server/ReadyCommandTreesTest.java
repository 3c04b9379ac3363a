package io.jcompose.cli.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.jcompose.cli.CommandTree;
import io.jcompose.cli.Invocation;
import io.jcompose.cli.Main;
import io.jcompose.cli.Signals;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Trees built ahead are handed out once each, so concurrent runs keep their own options. */
class ReadyCommandTreesTest {
    @TempDir Path dir;

    @Test
    void takeHandsOutTheReadyTreeOnceThenBuildsAnother() throws Exception {
        ReadyCommandTrees trees = new ReadyCommandTrees();
        trees.prepare();
        for (int i = 0; i < 200 && !trees.isReady(); i++) {
            Thread.sleep(50);
        }
        assertThat(trees.isReady()).as("a tree was built ahead").isTrue();
        CommandTree a = trees.take();
        assertThat(trees.isReady()).isFalse();
        CommandTree b = trees.take();
        assertThat(b).isNotSameAs(a);
    }

    @Test
    void concurrentRunsWithDifferentOptionsSeeOnlyTheirOwn() throws Exception {
        Files.writeString(dir.resolve("compose.yaml"), "services:\n  app:\n    image: busybox\n    environment:\n      V: ${V:-unset}\n");
        ReadyCommandTrees trees = new ReadyCommandTrees();
        trees.prepare();
        List<Callable<String>> runs = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            String name = "p" + i;
            boolean interpolate = i % 2 == 0;
            runs.add(() -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
                Invocation inv = new Invocation(dir, Map.of("V", name), InputStream.nullInputStream(), Invocation.Terminals.NONE, Signals.LOCAL);
                List<String> args = new ArrayList<>(List.of("-p", name, "config"));
                if (!interpolate) {
                    args.add("--no-interpolate");
                }
                int code = Main.run(trees.take(), inv, o, o, args.toArray(String[]::new));
                trees.prepare();
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
