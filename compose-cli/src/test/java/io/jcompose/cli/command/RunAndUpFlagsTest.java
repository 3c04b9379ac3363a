package io.jcompose.cli.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jcompose.cli.Main;
import io.jcompose.cli.UsageException;
import io.jcompose.model.LoadOptions;
import io.jcompose.model.PortConfig;
import io.jcompose.model.Project;
import io.jcompose.model.ProjectLoader;
import io.jcompose.model.ServiceVolume;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Flag parsing and checks of {@code run}, {@code create}, {@code wait} and attached {@code up}, before any engine is needed. */
class RunAndUpFlagsTest {
    @TempDir Path dir;

    record Result(int code, String out, String err) {}

    static Result jcompose(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of("JCOMPOSE_HOST", "unix:///nonexistent/jcompose.sock"), args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static RunCommand parseRun(String... args) {
        CommandLine.ParseResult parsed = io.jcompose.cli.CommandTree.forArgs(args).commandLine().parseArgs(args);
        return (RunCommand) parsed.subcommand().commandSpec().userObject();
    }

    @Test
    void runOptionsEndAtTheServiceAndTheCommandKeepsItsOwnFlags() {
        RunCommand run = parseRun("run", "--rm", "-e", "A=1", "-e", "B", "-l", "k=v", "--name", "x", "-u", "nobody", "-w", "/tmp",
                "--entrypoint", "sh -c", "-p", "8080:80", "-v", "/h:/c:ro", "--no-deps", "-T", "--use-aliases", "web",
                "echo", "-e", "--rm", "hi");
        assertThat(run.service).isEqualTo("web");
        assertThat(run.command).containsExactly("echo", "-e", "--rm", "hi");
        assertThat(run.remove).isTrue();
        assertThat(run.env).containsExactly("A=1", "B");
        assertThat(run.labels).containsExactly("k=v");
        assertThat(run.name).isEqualTo("x");
        assertThat(run.noTty).isTrue();
        assertThat(run.noDeps).isTrue();
        assertThat(run.useAliases).isTrue();
        assertThat(run.interactive).isNull(); // compose's default: interactive
        assertThat(parseRun("run", "-i=false", "web").interactive).isFalse();
        assertThat(parseRun("run", "--no-interactive", "web").interactive).isFalse();
        assertThat(parseRun("run", "--no-TTY", "web").noTty).isTrue();
        assertThat(parseRun("run", "web").command).isEmpty();
    }

    @Test
    void runOverridesBecomeEngineValues() {
        assertThat(RunCommand.entrypoint("sh -c 'echo a b'")).containsExactly("sh", "-c", "echo a b");
        assertThat(RunCommand.entrypoint(null)).isNull();
        assertThat(RunCommand.environment(List.of("A=1", "HOME", "MISSING", "C="), Map.of("HOME", "/root")))
                .containsExactly(Map.entry("A", "1"), Map.entry("HOME", "/root"), Map.entry("C", ""));
        assertThat(RunCommand.labels(List.of("a=b", "c=d=e"))).containsExactly(Map.entry("a", "b"), Map.entry("c", "d=e"));
        assertThatThrownBy(() -> RunCommand.labels(List.of("nolabel"))).isInstanceOf(UsageException.class)
                .hasMessage("label must be set as KEY=VALUE");
        List<PortConfig> ports = RunCommand.ports(List.of("127.0.0.1:8080:80/udp", "90"));
        assertThat(ports).extracting(PortConfig::hostIp, PortConfig::published, PortConfig::target, PortConfig::protocol)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("127.0.0.1", "8080", 80, "udp"),
                        org.assertj.core.groups.Tuple.tuple(null, null, 90, "tcp"));
        assertThatThrownBy(() -> RunCommand.ports(List.of("a:b:c:d"))).isInstanceOf(UsageException.class).hasMessageStartingWith("invalid --publish");
        List<ServiceVolume> vs = RunCommand.volumes(List.of("./data:/data:ro", "named:/n", "/anon"), Path.of("/work/p"));
        assertThat(vs).extracting(ServiceVolume::type, ServiceVolume::source, ServiceVolume::target, ServiceVolume::readOnly)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("bind", "/work/p/data", "/data", true),
                        org.assertj.core.groups.Tuple.tuple("volume", "named", "/n", false),
                        org.assertj.core.groups.Tuple.tuple("volume", null, "/anon", false));
        assertThat(RunCommand.slug()).matches("[0-9a-f]{64}").isNotEqualTo(RunCommand.slug());
    }

    @Test
    void composeFlagConflictsAreUsageErrorsBeforeAnythingRuns() {
        assertThat(jcompose("run", "--service-ports", "-p", "80", "web"))
                .isEqualTo(new Result(1, "", "--service-ports and --publish are incompatible\n"));
        assertThat(jcompose("run", "-l", "nolabel", "web")).isEqualTo(new Result(1, "", "label must be set as KEY=VALUE\n"));
        assertThat(jcompose("run", "-t", "-T", "web")).isEqualTo(new Result(1, "", "--tty and --no-tty can't be used together\n"));
        assertThat(jcompose("up", "-d", "--abort-on-container-exit")).isEqualTo(new Result(1, "",
                "--detach cannot be combined with --abort-on-container-exit, --attach or --attach-dependencies\n"));
        assertThat(jcompose("up", "-d", "--exit-code-from", "web")).isEqualTo(new Result(1, "",
                "--detach cannot be combined with --abort-on-container-exit, --attach or --attach-dependencies\n"));
        assertThat(jcompose("up", "--wait", "--attach", "web")).isEqualTo(new Result(1, "",
                "--wait cannot be combined with --abort-on-container-exit, --attach or --attach-dependencies\n"));
        assertThat(jcompose("up", "--build", "--no-build")).isEqualTo(new Result(1, "", "--build and --no-build are incompatible\n"));
        assertThat(jcompose("up", "--attach", "a", "--attach-dependencies")).isEqualTo(new Result(1, "",
                "cannot combine --attach and --attach-dependencies\n"));
        assertThat(jcompose("create", "--force-recreate", "--no-recreate")).isEqualTo(new Result(1, "",
                "--force-recreate and --no-recreate are incompatible\n"));
        assertThat(jcompose("create", "--pull", "sometimes")).isEqualTo(new Result(1, "", "invalid --pull option \"sometimes\"\n"));
        assertThat(jcompose("wait").code()).isEqualTo(1);
        assertThat(jcompose("run").code()).isEqualTo(1);
    }

    @Test
    void attachSetIsTheSelectedServicesWithoutOptedOutOnesOrTheAttachList() throws IOException {
        Path file = dir.resolve("compose.yaml");
        Files.writeString(file, """
                name: demo
                services:
                  web: {image: busybox, depends_on: [db]}
                  db: {image: busybox}
                  quiet: {image: busybox, attach: false}
                """);
        Project p = ProjectLoader.load(LoadOptions.defaults().withEnvironment(Map.of()).withFiles(List.of(file.toString())));
        assertThat(AttachedUp.attachSet(p, List.of(), List.of(), List.of())).containsExactly("db", "web");
        assertThat(AttachedUp.attachSet(p, List.of("web"), List.of(), List.of())).containsExactly("web");
        assertThat(AttachedUp.attachSet(p, List.of(), List.of("quiet"), List.of())).containsExactly("quiet");
        assertThat(AttachedUp.attachSet(p, List.of(), List.of(), List.of("db"))).containsExactly("web");
        assertThatThrownBy(() -> AttachedUp.attachSet(p, List.of(), List.of("nope", "web"), List.of()))
                .hasMessage("cannot attach to services not included in up: nope");
    }
}
