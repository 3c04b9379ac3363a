package io.jcompose.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jcompose.cli.progress.ProgressMode;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Flags first, then COMPOSE_* variables, then compose's defaults. */
class GlobalOptionsTest {
    static GlobalOptions parse(Map<String, String> env, String... args) {
        JcomposeCommand root = new JcomposeCommand(env, System.out, System.err);
        new CommandLine(root).parseArgs(args);
        return root.globalOptions();
    }

    @Test
    void defaultsAreComposes() {
        GlobalOptions o = parse(Map.of());
        assertThat(o).isEqualTo(GlobalOptions.defaults());
        assertThat(o.files()).isEmpty();
        assertThat(o.projectName()).isEmpty();
        assertThat(o.ansi()).isEqualTo(AnsiMode.AUTO);
        assertThat(o.progress()).isEqualTo(ProgressMode.AUTO);
        assertThat(o.parallel()).isEqualTo(-1);
        assertThat(o.colour()).isTrue();
        assertThat(o.dryRun()).isFalse();
        assertThat(o.host()).isEqualTo(GlobalOptions.DEFAULT_HOST);
    }

    @Test
    void repeatableFlagsKeepTheirOrder() {
        GlobalOptions o = parse(Map.of(), "-f", "a.yaml", "--file", "b.yaml", "--file=c.yaml", "--profile", "dev",
                "--profile", "debug", "--env-file", "x.env", "--env-file", "y.env", "-p", "demo",
                "--project-directory", "/srv/app", "--ansi", "always", "--progress", "json", "--dry-run",
                "--compatibility", "--parallel", "4", "-H", "unix:///tmp/d.sock");
        assertThat(o.files()).containsExactly("a.yaml", "b.yaml", "c.yaml");
        assertThat(o.profiles()).containsExactly("dev", "debug");
        assertThat(o.envFiles()).containsExactly("x.env", "y.env");
        assertThat(o.projectName()).contains("demo");
        assertThat(o.projectDirectory()).contains(Path.of("/srv/app"));
        assertThat(o.ansi()).isEqualTo(AnsiMode.ALWAYS);
        assertThat(o.progress()).isEqualTo(ProgressMode.JSON);
        assertThat(o.dryRun()).isTrue();
        assertThat(o.compatibility()).isTrue();
        assertThat(o.parallel()).isEqualTo(4);
        assertThat(o.host()).isEqualTo("unix:///tmp/d.sock");
    }

    @Test
    void environmentFillsWhatFlagsLeaveOut() {
        Map<String, String> env = Map.of("COMPOSE_FILE", "a.yaml:b.yaml", "COMPOSE_PROJECT_NAME", "envproj",
                "COMPOSE_PROFILES", "dev,debug", "COMPOSE_ENV_FILES", "one.env,two.env", "COMPOSE_ANSI", "never",
                "COMPOSE_PROGRESS", "quiet", "COMPOSE_PARALLEL_LIMIT", "2", "COMPOSE_COMPATIBILITY", "true",
                "JCOMPOSE_HOST", "unix:///x.sock", "NO_COLOR", "1");
        GlobalOptions o = parse(env);
        assertThat(o.files()).containsExactly("a.yaml", "b.yaml");
        assertThat(o.projectName()).contains("envproj");
        assertThat(o.profiles()).containsExactly("dev", "debug");
        assertThat(o.envFiles()).containsExactly("one.env", "two.env");
        assertThat(o.ansi()).isEqualTo(AnsiMode.NEVER);
        assertThat(o.progress()).isEqualTo(ProgressMode.QUIET);
        assertThat(o.parallel()).isEqualTo(2);
        assertThat(o.compatibility()).isTrue();
        assertThat(o.host()).isEqualTo("unix:///x.sock");
        assertThat(o.colour()).isFalse();

        GlobalOptions flagsWin = parse(env, "-f", "c.yaml", "-p", "flagproj", "--profile", "x", "--env-file", "z.env",
                "--ansi", "auto", "--progress", "plain", "--parallel", "-1", "-H", "unix:///y.sock");
        assertThat(flagsWin.files()).containsExactly("c.yaml");
        assertThat(flagsWin.projectName()).contains("flagproj");
        assertThat(flagsWin.profiles()).containsExactly("x");
        assertThat(flagsWin.envFiles()).containsExactly("z.env");
        assertThat(flagsWin.ansi()).isEqualTo(AnsiMode.AUTO);
        assertThat(flagsWin.progress()).isEqualTo(ProgressMode.PLAIN);
        assertThat(flagsWin.parallel()).isEqualTo(-1);
        assertThat(flagsWin.host()).isEqualTo("unix:///y.sock");
    }

    @Test
    void composePathSeparatorSplitsComposeFile() {
        assertThat(parse(Map.of("COMPOSE_FILE", "a.yaml;b.yaml", "COMPOSE_PATH_SEPARATOR", ";")).files())
                .containsExactly("a.yaml", "b.yaml");
        assertThat(parse(Map.of("COMPOSE_FILE", "")).files()).isEmpty();
        assertThat(parse(Map.of("COMPOSE_PROJECT_NAME", "")).projectName()).isEqualTo(Optional.empty());
    }

    @Test
    void goBooleansOnlyForCompatibility() {
        assertThat(parse(Map.of("COMPOSE_COMPATIBILITY", "1")).compatibility()).isTrue();
        assertThat(parse(Map.of("COMPOSE_COMPATIBILITY", "yes")).compatibility()).isFalse();
        assertThat(parse(Map.of("COMPOSE_COMPATIBILITY", "false")).compatibility()).isFalse();
    }

    @Test
    void deprecatedNoAnsiMeansNeverAndClashesWithAnsi() {
        assertThat(parse(Map.of(), "--no-ansi").ansi()).isEqualTo(AnsiMode.NEVER);
        assertThatThrownBy(() -> parse(Map.of(), "--no-ansi", "--ansi", "always"))
                .isInstanceOf(UsageException.class).hasMessageContaining("--no-ansi");
        assertThat(parse(Map.of(), "--workdir", "/w").projectDirectory()).contains(Path.of("/w"));
    }

    @Test
    void badValuesAreUsageErrors() {
        assertThatThrownBy(() -> parse(Map.of(), "--ansi", "sometimes")).isInstanceOf(UsageException.class)
                .hasMessage("invalid --ansi value \"sometimes\": use never, always or auto");
        assertThatThrownBy(() -> parse(Map.of("COMPOSE_PROGRESS", "fancy")))
                .isInstanceOf(UsageException.class).hasMessage("unsupported --progress value \"fancy\"");
        assertThatThrownBy(() -> parse(Map.of(), "--ansi", "always", "--progress", "plain"))
                .isInstanceOf(UsageException.class).hasMessage("can't use --progress plain while ANSI support is forced");
    }

    @Test
    void autoProgressIsTtyOnlyOnATerminalWithAnsiAllowed() {
        assertThat(parse(Map.of()).progressDisplay(true)).isEqualTo(ProgressMode.TTY);
        assertThat(parse(Map.of()).progressDisplay(false)).isEqualTo(ProgressMode.PLAIN);
        assertThat(parse(Map.of(), "--ansi", "never").progressDisplay(true)).isEqualTo(ProgressMode.PLAIN);
        assertThat(parse(Map.of(), "--progress", "json").progressDisplay(true)).isEqualTo(ProgressMode.JSON);
        assertThat(parse(Map.of(), "--progress", "none").progressDisplay(true)).isEqualTo(ProgressMode.QUIET);
    }

    @Test
    void dryRunAfterTheCommandReachesTheGlobalOptions() {
        CommandTree tree = CommandTree.forArgs("version", "--dry-run");
        tree.root().bind(Invocation.local(Map.of(), java.io.InputStream.nullInputStream(), false), System.out, System.err);
        tree.commandLine().parseArgs("version", "--dry-run");
        assertThat(tree.root().globalOptions().dryRun()).isTrue();
    }
}
