package io.jcompose.runtime.image.build.dockerfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jcompose.runtime.image.build.dockerfile.Instruction.ArgDef;
import io.jcompose.runtime.image.build.dockerfile.Instruction.KeyValue;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DockerfileParserTest {

  private static Dockerfile parse(String text) {
    return DockerfileParser.parse("Dockerfile", text);
  }

  private static List<Instruction> body(String text) {
    return parse(text).stages().getLast().instructions();
  }

  private static Instruction only(String line) {
    return body("FROM scratch\n" + line).getFirst();
  }

  @Test
  void fromWithPlatformAndName() {
    Dockerfile df = parse("ARG V=3\nFROM --platform=$BUILDPLATFORM alpine:${V} AS Builder\nFROM builder\n");
    assertThat(df.metaArgs()).hasSize(1);
    Instruction.From f = df.stages().getFirst().from();
    assertThat(f.image()).isEqualTo("alpine:${V}");
    assertThat(f.name()).isEqualTo("builder");
    assertThat(f.platform()).isEqualTo("$BUILDPLATFORM");
    assertThat(df.stages()).hasSize(2);
    assertThat(df.stages().get(1).displayName()).isEqualTo("stage-1");
    assertThat(df.stage("BUILDER")).contains(df.stages().getFirst());
    assertThat(df.stage("1")).contains(df.stages().get(1));
  }

  @Test
  void runShellAndExecForms() {
    Instruction.Run shell = (Instruction.Run) only("RUN apt-get update && \\\n    apt-get install -y curl");
    assertThat(shell.command().shellForm()).isTrue();
    // the continuation is dropped, the next line's indentation kept, as BuildKit does
    assertThat(shell.command().args()).containsExactly("apt-get update &&     apt-get install -y curl");
    Instruction.Run exec = (Instruction.Run) only("RUN [\"echo\", \"a b\"]");
    assertThat(exec.command()).isEqualTo(new Instruction.Command(List.of("echo", "a b"), false));
    Instruction.Run notJson = (Instruction.Run) only("RUN [ -f x ] && echo");
    assertThat(notJson.command().shellForm()).isTrue();
    assertThat(notJson.command().args()).containsExactly("[ -f x ] && echo");
  }

  @Test
  void runFlagsAreRecorded() {
    Instruction.Run r = (Instruction.Run) only(
        "RUN --mount=type=cache,target=/root/.cache --mount=type=bind,from=b,source=/x --network=none pip install x");
    assertThat(r.mounts()).containsExactly("type=cache,target=/root/.cache", "type=bind,from=b,source=/x");
    assertThat(r.network()).isEqualTo("none");
    assertThat(r.command().args()).containsExactly("pip install x");
  }

  @Test
  void cmdEntrypointShell() {
    assertThat(((Instruction.Cmd) only("CMD [\"python\", \"app.py\"]")).command().args()).containsExactly("python", "app.py");
    assertThat(((Instruction.Entrypoint) only("ENTRYPOINT exec top -b")).command().shellForm()).isTrue();
    assertThat(((Instruction.Shell) only("SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"]")).shell())
        .containsExactly("/bin/bash", "-o", "pipefail", "-c");
  }

  @Test
  void envBothForms() {
    Instruction.Env modern = (Instruction.Env) only("ENV A=1 B=\"two words\" C=three\\ words");
    assertThat(modern.vars()).containsExactly(
        new KeyValue("A", "1"), new KeyValue("B", "\"two words\""), new KeyValue("C", "three\\ words"));
    Instruction.Env legacy = (Instruction.Env) only("ENV PATH /usr/local/bin:$PATH  and more");
    assertThat(legacy.vars()).containsExactly(new KeyValue("PATH", "/usr/local/bin:$PATH  and more"));
  }

  @Test
  void labelsAndExposeAndVolume() {
    assertThat(((Instruction.Label) only("LABEL a=b \"c d\"=e")).labels())
        .containsExactly(new KeyValue("a", "b"), new KeyValue("\"c d\"", "e"));
    assertThat(((Instruction.Expose) only("EXPOSE 80 443/tcp 5000-5002/udp")).ports())
        .containsExactly("80", "443/tcp", "5000-5002/udp");
    assertThat(((Instruction.Volume) only("VOLUME [\"/data\", \"/logs\"]")).paths()).containsExactly("/data", "/logs");
    assertThat(((Instruction.Volume) only("VOLUME /a /b")).paths()).containsExactly("/a", "/b");
  }

  @Test
  void copyAndAddFlags() {
    Instruction.Copy c = (Instruction.Copy) only("COPY --from=build --chown=app:app --chmod=0755 --link a b /dst/");
    assertThat(c.sources()).containsExactly("a", "b");
    assertThat(c.destination()).isEqualTo("/dst/");
    assertThat(c.from()).isEqualTo("build");
    assertThat(c.chown()).isEqualTo("app:app");
    assertThat(c.chmod()).isEqualTo("0755");
    assertThat(c.link()).isTrue();
    Instruction.Copy json = (Instruction.Copy) only("COPY [\"a b\", \"/x y/\"]");
    assertThat(json.sources()).containsExactly("a b");
    assertThat(json.link()).isFalse();
    Instruction.Add a = (Instruction.Add) only("ADD --checksum=sha256:abc --keep-git-dir=true x.tar.gz /opt/");
    assertThat(a.checksum()).isEqualTo("sha256:abc");
    assertThat(a.keepGitDir()).isTrue();
  }

  @Test
  void userWorkdirStopsignalMaintainer() {
    assertThat(((Instruction.User) only("USER app:staff")).user()).isEqualTo("app:staff");
    assertThat(((Instruction.Workdir) only("WORKDIR /app")).path()).isEqualTo("/app");
    assertThat(((Instruction.StopSignal) only("STOPSIGNAL SIGTERM")).signal()).isEqualTo("SIGTERM");
    assertThat(((Instruction.Maintainer) only("MAINTAINER Jo <jo@x>")).name()).isEqualTo("Jo <jo@x>");
  }

  @Test
  void argForms() {
    Instruction.Arg a = (Instruction.Arg) only("ARG A B=2 C=\"x y\"");
    assertThat(a.args()).containsExactly(new ArgDef("A", null), new ArgDef("B", "2"), new ArgDef("C", "\"x y\""));
  }

  @Test
  void onbuild() {
    assertThat(((Instruction.OnBuild) only("ONBUILD RUN echo hi")).trigger()).isEqualTo("RUN echo hi");
    assertThatThrownBy(() -> parse("FROM a\nONBUILD ONBUILD RUN x"))
        .hasMessage("Dockerfile:2: Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
    assertThatThrownBy(() -> parse("FROM a\nONBUILD FROM x"))
        .hasMessage("Dockerfile:2: FROM isn't allowed as an ONBUILD trigger");
    assertThatThrownBy(() -> parse("FROM a\n\nONBUILD RUNN x"))
        .hasMessage("Dockerfile:3: unknown instruction: RUNN (did you mean RUN?)");
  }

  @Test
  void healthcheck() {
    Instruction.Healthcheck h = (Instruction.Healthcheck) only(
        "HEALTHCHECK --interval=1m30s --timeout=500ms --start-period=5s --retries=3 CMD curl -f http://localhost/");
    assertThat(h.test()).containsExactly("CMD-SHELL", "curl -f http://localhost/");
    assertThat(h.interval()).isEqualTo(Duration.ofSeconds(90));
    assertThat(h.timeout()).isEqualTo(Duration.ofMillis(500));
    assertThat(h.startPeriod()).isEqualTo(Duration.ofSeconds(5));
    assertThat(h.retries()).isEqualTo(3);
    assertThat(((Instruction.Healthcheck) only("HEALTHCHECK CMD [\"true\"]")).test()).containsExactly("CMD", "true");
    assertThat(((Instruction.Healthcheck) only("healthcheck none")).test()).containsExactly("NONE");
    assertThatThrownBy(() -> parse("FROM a\nHEALTHCHECK NONE x")).hasMessage("Dockerfile:2: HEALTHCHECK NONE takes no arguments");
    assertThatThrownBy(() -> parse("FROM a\nHEALTHCHECK RUN x")).hasMessage("Dockerfile:2: Unknown type \"RUN\" in HEALTHCHECK (try CMD)");
    assertThatThrownBy(() -> parse("FROM a\nHEALTHCHECK --retries=-1 CMD x")).hasMessage("Dockerfile:2: --retries cannot be negative (-1)");
    assertThatThrownBy(() -> parse("FROM a\nHEALTHCHECK --interval=5 CMD x")).hasMessageContaining("invalid duration");
  }

  @Test
  void commentsAndContinuationsAndCase() {
    List<Instruction> body = body("""
        # leading comment
        from scratch
          # indented comment
        run echo a \\
        # comment inside a continuation is skipped

          b
        Env X=1
        """);
    assertThat(body).hasSize(2);
    Instruction.Run r = (Instruction.Run) body.getFirst();
    assertThat(r.command().args()).containsExactly("echo a   b");
    assertThat(r.line()).isEqualTo(4);
    assertThat(body.get(1).line()).isEqualTo(8);
  }

  @Test
  void directives() {
    Dockerfile df = parse("# syntax=docker/dockerfile:1\n# escape=`\nFROM scratch\nRUN echo `\n  hi\n");
    assertThat(df.directives().syntax()).isEqualTo("docker/dockerfile:1");
    assertThat(df.directives().escape()).isEqualTo('`');
    assertThat(((Instruction.Run) df.stages().getFirst().instructions().getFirst()).command().args())
        .containsExactly("echo   hi");
    // a directive after a comment is only a comment
    Dockerfile late = parse("# hello\n# escape=`\nFROM scratch\nRUN echo \\\n  hi\n");
    assertThat(late.directives().escape()).isEqualTo('\\');
    assertThatThrownBy(() -> parse("# escape=x\nFROM a")).hasMessage("Dockerfile:1: invalid escape token 'x' does not match ` or \\");
    assertThatThrownBy(() -> parse("# escape=`\n# escape=\\\nFROM a")).hasMessage("Dockerfile:2: only one escape parser directive can be used");
  }

  @Test
  void heredocs() {
    List<Instruction> body = body("""
        FROM busybox
        RUN <<EOF
        echo hello
        echo $HOME
        EOF
        RUN cat <<-'A' > /a && cat <<B > /b
        \tone
        \tA
        two
        B
        COPY <<EOF /etc/motd
        welcome
        EOF
        RUN echo "<<NOT a heredoc"
        """);
    Instruction.Run r = (Instruction.Run) body.getFirst();
    assertThat(r.heredocs()).containsExactly(new Heredoc("EOF", "echo hello\necho $HOME\n", true, false));
    assertThat(r.effectiveCommand().args()).containsExactly("echo hello\necho $HOME\n");
    Instruction.Run two = (Instruction.Run) body.get(1);
    assertThat(two.heredocs()).containsExactly(new Heredoc("A", "one\n", false, true), new Heredoc("B", "two\n", true, false));
    assertThat(two.effectiveCommand().args().getFirst()).isEqualTo("cat <<-'A' > /a && cat <<B > /b\none\nA\ntwo\nB");
    Instruction.Copy c = (Instruction.Copy) body.get(2);
    assertThat(c.sources()).containsExactly("<<EOF");
    assertThat(c.destination()).isEqualTo("/etc/motd");
    assertThat(c.heredocs().getFirst().content()).isEqualTo("welcome\n");
    assertThat(((Instruction.Run) body.get(3)).heredocs()).isEmpty();
    assertThat(body.get(3).line()).isEqualTo(14);
    assertThatThrownBy(() -> parse("FROM a\nRUN <<EOF\necho\n")).hasMessage("Dockerfile:2: unterminated heredoc");
  }

  @Test
  void errorsNameTheLine() {
    assertThatThrownBy(() -> parse("FROM alpine\n\n# c\nRUN true\nRUNN x\n")).hasMessage("Dockerfile:5: unknown instruction: RUNN (did you mean RUN?)")
        .isInstanceOfSatisfying(DockerfileException.class, e -> {
          assertThat(e.line()).isEqualTo(5);
          assertThat(e.reason()).isEqualTo("unknown instruction: RUNN (did you mean RUN?)");
        });
    assertThat(fails("")).isEqualTo("Dockerfile: file with no instructions");
    assertThat(fails("# only a comment\n")).isEqualTo("Dockerfile: file with no instructions");
    assertThat(fails("ARG A\n")).isEqualTo("Dockerfile: dockerfile contains no stages to build");
    assertThat(fails("RUN x\nFROM a")).isEqualTo("Dockerfile:1: no build stage in current context");
    assertThat(fails("FROM a b")).isEqualTo("Dockerfile:1: FROM requires either one or three arguments");
    assertThat(fails("FROM a AS 1x")).isEqualTo("Dockerfile:1: invalid name for build stage: \"1x\", name can't start with a number or contain symbols");
    assertThat(fails("FROM a AS x\nFROM b AS X")).isEqualTo("Dockerfile:2: duplicate stage name \"x\"");
    assertThat(fails("FROM a\nCOPY x")).isEqualTo("Dockerfile:2: COPY requires at least two arguments, but only one was provided. Destination could not be determined");
    assertThat(fails("FROM a\nRUN")).isEqualTo("Dockerfile:2: RUN requires at least one argument");
    assertThat(fails("FROM a\nENV")).isEqualTo("Dockerfile:2: ENV requires at least one argument");
    assertThat(fails("FROM a\nENV A")).isEqualTo("Dockerfile:2: ENV must have two arguments");
    assertThat(fails("FROM a\nENV A=1 B")).isEqualTo("Dockerfile:2: Syntax error - can't find = in \"B\". Must be of the form: name=value");
    assertThat(fails("FROM a\nENV =1")).isEqualTo("Dockerfile:2: ENV names can not be blank");
    assertThat(fails("FROM a\nSHELL /bin/sh -c")).isEqualTo("Dockerfile:2: SHELL requires the arguments to be in JSON form");
    assertThat(fails("FROM a\nUSER")).isEqualTo("Dockerfile:2: USER requires exactly one argument");
    assertThat(fails("FROM a\nCOPY --frm=x a b")).isEqualTo("Dockerfile:2: unknown flag: --frm (did you mean from?)");
    assertThat(fails("FROM a\nCOPY --from a b")).isEqualTo("Dockerfile:2: missing a value on flag: --from");
    assertThat(fails("FROM a\nCOPY --link=maybe a b")).isEqualTo("Dockerfile:2: expecting boolean value for flag --link, not: maybe");
    assertThat(fails("FROM a\nWORKDIR --x=1 /a")).isEqualTo("Dockerfile:2: unknown flag: --x");
    assertThat(fails("FROM a\nVOLUME [\"\"]")).isEqualTo("Dockerfile:2: VOLUME specified can not be an empty string");
  }

  @Test
  void errorUsesTheGivenFileName() {
    assertThatThrownBy(() -> DockerfileParser.parse("docker/app.Dockerfile", "FROM a\nBANANA b"))
        .hasMessage("docker/app.Dockerfile:2: unknown instruction: BANANA");
    // case follows what was written; far-off words get no hint
    assertThatThrownBy(() -> DockerfileParser.parse("Dockerfile", "FROM a\ncopi a b"))
        .hasMessage("Dockerfile:2: unknown instruction: copi (did you mean copy?)");
  }

  @Test
  void crlfAndBom() {
    Dockerfile df = parse("\uFEFFFROM a\r\nRUN echo \\\r\n  x\r\n");
    assertThat(((Instruction.Run) df.stages().getFirst().instructions().getFirst()).command().args())
        .containsExactly("echo   x");
  }

  @Test
  void expansionOfCopyKeepsHeredocMarkers() {
    Instruction.Copy c = (Instruction.Copy) body("FROM a\nCOPY --chown=$U <<EOF $D\nx\nEOF\n").getFirst();
    VariableExpander ex = new VariableExpander('\\');
    Instruction.Copy e = (Instruction.Copy) c.expand(w -> ex.expand(w, java.util.Map.of("U", "1000", "D", "/d")::get));
    assertThat(e.sources()).containsExactly("<<EOF");
    assertThat(e.destination()).isEqualTo("/d");
    assertThat(e.chown()).isEqualTo("1000");
  }

  private static String fails(String text) {
    try {
      parse(text);
    } catch (DockerfileException e) {
      return e.getMessage();
    }
    throw new AssertionError("parsed: " + text);
  }
}
