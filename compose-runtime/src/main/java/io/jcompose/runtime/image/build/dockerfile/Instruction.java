package io.jcompose.runtime.image.build.dockerfile;

import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A Dockerfile instruction with its arguments interpreted. Values are as written; {@link
 * #expand} substitutes variables for the instructions BuildKit expands (the build does it with
 * the stage's ARG/ENV values at that point).
 */
public sealed interface Instruction {

  /** Where it came from (line, text). */
  Node node();

  /** 1-based line of the instruction. */
  default int line() {
    return node().startLine();
  }

  /**
   * This instruction with variables substituted. {@code words} expands one word; instructions
   * that do not expand variables (RUN, CMD, ENTRYPOINT, SHELL, HEALTHCHECK, ONBUILD) return
   * themselves.
   */
  default Instruction expand(UnaryOperator<String> words) {
    return this;
  }

  /** A command in shell form ({@code shellForm}: run with the stage's SHELL) or exec form. */
  record Command(List<String> args, boolean shellForm) {
    public Command {
      args = List.copyOf(args);
    }
  }

  /** {@code key=value} of ENV and LABEL. */
  record KeyValue(String key, String value) {}

  /** {@code FROM [--platform=p] image [AS name]}; name is lower-cased, null without AS. */
  record From(Node node, String image, String name, String platform) implements Instruction {}

  /**
   * {@code RUN}. {@code mounts}, {@code network} and {@code security} are the flags as written
   * (recorded; mounts are not executed yet).
   */
  record Run(
      Node node,
      Command command,
      List<String> mounts,
      String network,
      String security,
      List<Heredoc> heredocs)
      implements Instruction {

    /**
     * The command the shell runs: a RUN that is only a heredoc runs its body; otherwise the
     * heredoc bodies follow the line, for the shell to read, as BuildKit does.
     */
    public Command effectiveCommand() {
      if (heredocs.isEmpty() || !command.shellForm()) {
        return command;
      }
      String line = command.args().getFirst();
      if (heredocs.size() == 1 && line.matches("<<-?[\"']?" + java.util.regex.Pattern.quote(heredocs.getFirst().name()) + "[\"']?")) {
        return new Command(List.of(heredocs.getFirst().content()), true);
      }
      StringBuilder sb = new StringBuilder(line);
      for (Heredoc h : heredocs) {
        sb.append('\n').append(h.content()).append(h.name());
      }
      return new Command(List.of(sb.toString()), true);
    }
  }

  /** {@code CMD}. */
  record Cmd(Node node, Command command) implements Instruction {}

  /** {@code ENTRYPOINT}. */
  record Entrypoint(Node node, Command command) implements Instruction {}

  /** {@code LABEL k=v ...}. */
  record Label(Node node, List<KeyValue> labels) implements Instruction {
    @Override
    public Instruction expand(UnaryOperator<String> w) {
      return new Label(node, labels.stream().map(kv -> new KeyValue(w.apply(kv.key()), w.apply(kv.value()))).toList());
    }
  }

  /** {@code MAINTAINER} (deprecated; becomes the config's author). */
  record Maintainer(Node node, String name) implements Instruction {}

  /** {@code EXPOSE 80 443/tcp 5000-5002/udp}: the words, unvalidated until expanded. */
  record Expose(Node node, List<String> ports) implements Instruction {
    @Override
    public Instruction expand(UnaryOperator<String> w) {
      return new Expose(node, ports.stream().map(w).toList());
    }
  }

  /** {@code ENV k=v ...} or {@code ENV k v}. */
  record Env(Node node, List<KeyValue> vars) implements Instruction {
    @Override
    public Instruction expand(UnaryOperator<String> w) {
      // each pair sees only the values before this instruction, as in BuildKit
      return new Env(node, vars.stream().map(kv -> new KeyValue(w.apply(kv.key()), w.apply(kv.value()))).toList());
    }
  }

  /** {@code COPY [--from] [--chown] [--chmod] [--link] src... dest}. */
  record Copy(
      Node node,
      List<String> sources,
      String destination,
      String from,
      String chown,
      String chmod,
      boolean link,
      List<String> excludes,
      List<Heredoc> heredocs)
      implements Instruction {
    @Override
    public Instruction expand(UnaryOperator<String> w) {
      return new Copy(node, expandSources(sources, heredocs, w), w.apply(destination),
          from == null ? null : w.apply(from), chown == null ? null : w.apply(chown),
          chmod == null ? null : w.apply(chmod), link, excludes.stream().map(w).toList(), heredocs);
    }
  }

  /** {@code ADD [--chown] [--chmod] [--link] [--checksum] [--keep-git-dir] src... dest}. */
  record Add(
      Node node,
      List<String> sources,
      String destination,
      String chown,
      String chmod,
      boolean link,
      String checksum,
      boolean keepGitDir,
      List<String> excludes,
      List<Heredoc> heredocs)
      implements Instruction {
    @Override
    public Instruction expand(UnaryOperator<String> w) {
      return new Add(node, expandSources(sources, heredocs, w), w.apply(destination),
          chown == null ? null : w.apply(chown), chmod == null ? null : w.apply(chmod), link,
          checksum == null ? null : w.apply(checksum), keepGitDir, excludes.stream().map(w).toList(), heredocs);
    }
  }

  /** {@code VOLUME}. */
  record Volume(Node node, List<String> paths) implements Instruction {
    @Override
    public Instruction expand(UnaryOperator<String> w) {
      return new Volume(node, paths.stream().map(w).toList());
    }
  }

  /** {@code USER user[:group]}. */
  record User(Node node, String user) implements Instruction {
    @Override
    public Instruction expand(UnaryOperator<String> w) {
      return new User(node, w.apply(user));
    }
  }

  /** {@code WORKDIR}. */
  record Workdir(Node node, String path) implements Instruction {
    @Override
    public Instruction expand(UnaryOperator<String> w) {
      return new Workdir(node, w.apply(path));
    }
  }

  /** One name of an {@code ARG}; {@code defaultValue} null when none was given. */
  record ArgDef(String name, String defaultValue) {}

  /** {@code ARG name[=default] ...}. */
  record Arg(Node node, List<ArgDef> args) implements Instruction {
    @Override
    public Instruction expand(UnaryOperator<String> w) {
      return new Arg(node, args.stream()
          .map(a -> new ArgDef(a.name(), a.defaultValue() == null ? null : w.apply(a.defaultValue())))
          .toList());
    }
  }

  /** {@code ONBUILD <instruction>}: the trigger text, stored in the image unexpanded. */
  record OnBuild(Node node, String trigger) implements Instruction {}

  /** {@code STOPSIGNAL}. */
  record StopSignal(Node node, String signal) implements Instruction {
    @Override
    public Instruction expand(UnaryOperator<String> w) {
      return new StopSignal(node, w.apply(signal));
    }
  }

  /**
   * {@code HEALTHCHECK}. {@code test} is {@code ["NONE"]}, {@code ["CMD", ...]} or
   * {@code ["CMD-SHELL", cmd]}; durations and retries null when not given.
   */
  record Healthcheck(
      Node node,
      List<String> test,
      Duration interval,
      Duration timeout,
      Duration startPeriod,
      Duration startInterval,
      Integer retries)
      implements Instruction {}

  /** {@code SHELL ["executable", "params"]}. */
  record Shell(Node node, List<String> shell) implements Instruction {}

  private static List<String> expandSources(
      List<String> sources, List<Heredoc> heredocs, UnaryOperator<String> w) {
    // heredoc markers name inline content, not files: keep them as written
    return sources.stream()
        .map(s -> s.startsWith("<<") && !heredocs.isEmpty() ? s : w.apply(s))
        .toList();
  }
}
