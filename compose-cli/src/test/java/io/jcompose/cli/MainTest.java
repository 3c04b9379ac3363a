package io.jcompose.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The command line's exit codes and error lines, as docker compose v2 gives them. */
class MainTest {
    record Result(int code, String out, String err) {}

    static Result run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env, args);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Result run(String... args) {
        return run(Map.of(), args);
    }

    @Test
    void noArgumentsPrintsHelpAndSucceeds() {
        Result r = run();
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("Usage: jcompose [OPTIONS] COMMAND").contains("--project-directory", "version");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void versionPrintsTheBuildVersion() {
        Result r = run("version");
        assertThat(r.code()).isZero();
        assertThat(r.out()).matches("jcompose version v\\S+\\n");
        assertThat(run("version", "--short").out()).doesNotStartWith("jcompose");
        assertThat(run("version", "--format", "json").out()).matches("\\{\"version\":\"v\\S+\"\\}\\n");
    }

    @Test
    void unknownFlagsAndCommandsExitOneWithCobrasWords() {
        assertThat(run("--foo")).isEqualTo(new Result(1, "", "unknown flag: --foo\n"));
        assertThat(run("--foo=bar", "version")).isEqualTo(new Result(1, "", "unknown flag: --foo\n"));
        assertThat(run("-x")).isEqualTo(new Result(1, "", "unknown shorthand flag: 'x' in -x\n"));
        assertThat(run("version", "--bogus")).isEqualTo(new Result(1, "", "unknown flag: --bogus\n"));
        assertThat(run("frobnicate")).isEqualTo(
                new Result(1, "", "unknown command: \"jcompose frobnicate\"; see 'jcompose --help'\n"));
    }

    @Test
    void badFlagValuesExitOneWithOneLine() {
        assertThat(run("-f")).isEqualTo(new Result(1, "", "flag needs an argument: --file\n"));
        assertThat(run("--parallel", "abc", "version").err())
                .startsWith("invalid argument \"abc\" for \"--parallel\" flag:").hasLineCount(1);
        assertThat(run("--progress", "bogus", "version"))
                .isEqualTo(new Result(1, "", "unsupported --progress value \"bogus\"\n"));
        assertThat(run("--ansi", "never", "--progress", "tty", "version"))
                .isEqualTo(new Result(1, "", "can't use --progress tty while ANSI support is disabled\n"));
        assertThat(run(Map.of("COMPOSE_PARALLEL_LIMIT", "many"), "version"))
                .isEqualTo(new Result(1, "", "COMPOSE_PARALLEL_LIMIT must be an integer (found: \"many\")\n"));
    }

    @Test
    void globalFlagsGoBeforeTheCommandButDryRunMayFollowIt() {
        assertThat(run("version", "-p", "x").code()).isEqualTo(1);
        assertThat(run("version", "--dry-run").code()).isZero();
        assertThat(run("-f", "a.yaml", "-f", "b.yaml", "-p", "demo", "--dry-run", "version").code()).isZero();
    }

    @Test
    void commandErrorsAreOneLineWithoutStackTraceUnlessDebugging() {
        Result plain = run("version", "--format", "yaml");
        assertThat(plain).isEqualTo(new Result(1, "", "unsupported format \"yaml\": use pretty or json\n"));
        Result debug = run(Map.of(Main.DEBUG_VARIABLE, "1"), "version", "--format", "yaml");
        assertThat(debug.err()).startsWith("unsupported format \"yaml\": use pretty or json\n")
                .contains("at io.jcompose.cli.command.VersionCommand.run");
    }

    @Test
    void jsonProgressTurnsErrorsIntoJson() {
        assertThat(run("--progress", "json", "version", "--format", "yaml").err())
                .isEqualTo("{\"error\":true,\"message\":\"unsupported format \\\"yaml\\\": use pretty or json\"}\n");
    }
}
