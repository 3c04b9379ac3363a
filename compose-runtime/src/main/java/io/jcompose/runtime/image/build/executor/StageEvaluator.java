package io.jcompose.runtime.image.build.executor;

import io.jcompose.runtime.image.build.dockerfile.DockerfileException;
import io.jcompose.runtime.image.build.dockerfile.DockerfileParser;
import io.jcompose.runtime.image.build.dockerfile.Instruction;
import io.jcompose.runtime.image.build.dockerfile.Stage;
import io.jcompose.runtime.image.build.dockerfile.VariableExpander;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Walks a stage's instructions as BuildKit's dispatcher does: keeps the stage's ARG values and
 * the image config, substitutes variables (ENV wins over ARG), applies config-only instructions
 * to the config and turns the rest into {@link Step}s. The base image's ONBUILD triggers run
 * first and are not inherited.
 */
public final class StageEvaluator {
  private final String file;
  private final VariableExpander expander;
  private final Map<String, String> buildArgs;
  private final Map<String, String> metaArgs;
  private final Map<String, String> builtinArgs;
  private final Set<String> consumed = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /**
   * @param file the Dockerfile name, for errors
   * @param escape the Dockerfile's escape character
   * @param buildArgs {@code --build-arg} values
   * @param metaArgs global ARG values ({@code BuildGraph#metaArgs})
   * @param builtinArgs automatic platform args ({@code TARGETPLATFORM}, ...), seen when declared
   */
  public StageEvaluator(String file, char escape, Map<String, String> buildArgs,
      Map<String, String> metaArgs, Map<String, String> builtinArgs) {
    this.file = file;
    this.expander = new VariableExpander(escape);
    this.buildArgs = buildArgs;
    this.metaArgs = metaArgs;
    this.builtinArgs = builtinArgs;
  }

  /** Build args some stage declared (the others are reported unused, as Docker warns). */
  public Set<String> consumedBuildArgs() {
    return Set.copyOf(consumed);
  }

  /**
   * Evaluates one stage on top of {@code config} (the base image's config, changed in place).
   *
   * @return the steps that need work, in order, each with its history text
   */
  public List<Step> evaluate(Stage stage, ImageConfigBuilder config) {
    List<Instruction> instructions = new ArrayList<>();
    List<String> triggers = config.onBuild();
    if (!triggers.isEmpty()) {
      String text = "FROM scratch\n" + String.join("\n", triggers) + "\n";
      instructions.addAll(DockerfileParser.parse(file + " (ONBUILD of the base image)", text)
          .stages().getFirst().instructions());
      config.clearOnBuild();
    }
    instructions.addAll(stage.instructions());

    Map<String, String> args = new LinkedHashMap<>(); // declared, with a value, in order
    boolean cmdSet = false;
    List<Step> steps = new ArrayList<>();
    for (Instruction raw : instructions) {
      int line = raw.line();
      java.util.function.Function<String, String> env = name -> {
        String v = config.env(name);
        return v != null ? v : args.get(name);
      };
      Instruction i;
      try {
        i = raw.expand(w -> expander.expand(w, env));
      } catch (VariableExpander.ExpansionException e) {
        throw new DockerfileException(file, line, e.getMessage());
      }
      switch (i) {
        case Instruction.Arg a -> {
          List<String> shown = new ArrayList<>();
          for (Instruction.ArgDef d : a.args()) {
            String v;
            if (buildArgs.containsKey(d.name())) {
              v = buildArgs.get(d.name());
              consumed.add(d.name());
            } else if (d.defaultValue() != null) {
              v = d.defaultValue();
            } else if (metaArgs.get(d.name()) != null) {
              v = metaArgs.get(d.name());
            } else {
              v = builtinArgs.get(d.name());
            }
            if (v != null) {
              args.put(d.name(), v);
              shown.add(d.name() + "=" + v);
            } else {
              args.remove(d.name());
              shown.add(d.name());
            }
          }
          steps.add(new Step.ConfigChange(i, "ARG " + String.join(" ", shown)));
        }
        case Instruction.Env e -> {
          for (Instruction.KeyValue kv : e.vars()) {
            config.setEnv(kv.key(), kv.value());
          }
          steps.add(new Step.ConfigChange(i, "ENV " + e.vars().stream()
              .map(kv -> kv.key() + "=" + kv.value()).collect(Collectors.joining(" "))));
        }
        case Instruction.Label l -> {
          Map<String, String> labels = new LinkedHashMap<>();
          l.labels().forEach(kv -> labels.put(kv.key(), kv.value()));
          config.labels(labels);
          steps.add(new Step.ConfigChange(i, "LABEL " + l.labels().stream()
              .map(kv -> kv.key() + "=" + kv.value()).collect(Collectors.joining(" "))));
        }
        case Instruction.Expose x -> {
          List<String> ports = new ArrayList<>();
          for (String p : x.ports()) {
            ports.addAll(ports(p, line));
          }
          config.expose(ports);
          steps.add(new Step.ConfigChange(i, "EXPOSE " + ImageConfigBuilder.goMap(ports)));
        }
        case Instruction.Volume v -> {
          config.volumes(v.paths());
          steps.add(new Step.ConfigChange(i, "VOLUME [" + String.join(" ", v.paths()) + "]"));
        }
        case Instruction.User u -> {
          config.user(u.user());
          steps.add(new Step.ConfigChange(i, "USER " + u.user()));
        }
        case Instruction.StopSignal s -> {
          config.stopSignal(s.signal());
          steps.add(new Step.ConfigChange(i, "STOPSIGNAL " + s.signal()));
        }
        case Instruction.Maintainer m -> {
          config.author(m.name());
          steps.add(new Step.ConfigChange(i, "MAINTAINER " + m.name()));
        }
        case Instruction.OnBuild o -> {
          config.onBuild(o.trigger());
          steps.add(new Step.ConfigChange(i, "ONBUILD " + o.trigger()));
        }
        case Instruction.Shell s -> {
          config.shell(s.shell());
          steps.add(new Step.ConfigChange(i, "SHELL [" + String.join(" ", s.shell()) + "]"));
        }
        case Instruction.Cmd c -> {
          List<String> argv = argv(c.command(), config);
          config.cmd(argv);
          cmdSet = true;
          steps.add(new Step.ConfigChange(i, "CMD " + goQuoted(argv)));
        }
        case Instruction.Entrypoint en -> {
          List<String> argv = argv(en.command(), config);
          config.entrypoint(argv);
          if (!cmdSet) {
            config.cmd(null); // an inherited CMD does not survive a new ENTRYPOINT
          }
          steps.add(new Step.ConfigChange(i, "ENTRYPOINT " + goQuoted(argv)));
        }
        case Instruction.Healthcheck h -> {
          config.healthcheck(h.test(), h.interval(), h.timeout(), h.startPeriod(), h.startInterval(), h.retries());
          steps.add(new Step.ConfigChange(i, "HEALTHCHECK &{" + goQuoted(h.test()) + " "
              + quotedDuration(h.interval()) + " " + quotedDuration(h.timeout()) + " "
              + quotedDuration(h.startPeriod()) + " " + quotedDuration(h.startInterval()) + " "
              + goQuotedChar(h.retries() == null ? 0 : h.retries()) + "}"));
        }
        case Instruction.Workdir w -> {
          String path = w.path().startsWith("/") ? w.path()
              : (config.workingDir().isEmpty() ? "/" : config.workingDir()) + "/" + w.path();
          path = io.jcompose.runtime.image.build.context.PathNames.clean(path);
          config.workingDir(path);
          steps.add(new Step.Workdir(w, "WORKDIR " + path, path));
        }
        case Instruction.Run r -> {
          List<String> argv = argv(r.effectiveCommand(), config);
          List<String> runEnv = new ArrayList<>(config.env());
          List<String> prefix = new ArrayList<>();
          args.forEach((k, v) -> {
            String envValue = config.env(k);
            if (envValue == null) {
              runEnv.add(k + "=" + v);
            }
            if (envValue == null || !envValue.equals(v)) {
              prefix.add(k + "=" + v);
            }
          });
          String shown = (prefix.isEmpty() ? "" : "|" + prefix.size() + " " + String.join(" ", prefix) + " ")
              + String.join(" ", argv);
          steps.add(new Step.Run(r, "RUN " + shown + " # buildkit", argv, runEnv, config.user(),
              config.workingDir().isEmpty() ? "/" : config.workingDir(), Map.copyOf(args)));
        }
        case Instruction.Copy c -> steps.add(new Step.Copy(i, "COPY " + copyText(c.from(), c.chown(), c.chmod(), c.link(), c.sources(), c.destination()) + " # buildkit",
            config.workingDir().isEmpty() ? "/" : config.workingDir()));
        case Instruction.Add a -> steps.add(new Step.Copy(i, "ADD " + copyText(null, a.chown(), a.chmod(), a.link(), a.sources(), a.destination()) + " # buildkit",
            config.workingDir().isEmpty() ? "/" : config.workingDir()));
        case Instruction.From f -> throw new IllegalStateException("FROM inside a stage");
      }
    }
    return steps;
  }

  private static String copyText(String from, String chown, String chmod, boolean link, List<String> sources, String dest) {
    StringBuilder sb = new StringBuilder();
    if (from != null) {
      sb.append("--from=").append(from).append(' ');
    }
    if (chown != null) {
      sb.append("--chown=").append(chown).append(' ');
    }
    if (chmod != null) {
      sb.append("--chmod=").append(chmod).append(' ');
    }
    if (link) {
      sb.append("--link ");
    }
    return sb.append(String.join(" ", sources)).append(' ').append(dest).toString();
  }

  private static List<String> argv(Instruction.Command c, ImageConfigBuilder config) {
    if (!c.shellForm()) {
      return c.args();
    }
    List<String> out = new ArrayList<>(config.shell());
    out.addAll(c.args());
    return out;
  }

  /** {@code 80}, {@code 80/udp}, {@code 8000-8002/tcp} as {@code ExposedPorts} keys. */
  private List<String> ports(String spec, int line) {
    String proto = "tcp";
    String ports = spec;
    int slash = spec.indexOf('/');
    if (slash >= 0) {
      proto = spec.substring(slash + 1).toLowerCase(java.util.Locale.ROOT);
      ports = spec.substring(0, slash);
    }
    if (!proto.equals("tcp") && !proto.equals("udp") && !proto.equals("sctp")) {
      throw new DockerfileException(file, line, "invalid proto: " + proto);
    }
    try {
      String[] range = ports.split("-", 2);
      int start = Integer.parseInt(range[0]);
      int end = range.length == 2 ? Integer.parseInt(range[1]) : start;
      if (start < 0 || end > 65535 || end < start) {
        throw new NumberFormatException();
      }
      List<String> out = new ArrayList<>();
      for (int p = start; p <= end; p++) {
        out.add(p + "/" + proto);
      }
      return out;
    } catch (NumberFormatException e) {
      throw new DockerfileException(file, line, "invalid containerPort: " + ports);
    }
  }

  /** Go's {@code %q} of a string slice: {@code ["/bin/sh" "-c" "echo hi"]}. */
  static String goQuoted(List<String> values) {
    return values.stream().map(StageEvaluator::goQuote).collect(Collectors.joining(" ", "[", "]"));
  }

  private static String goQuote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\t' -> sb.append("\\t");
        case '\r' -> sb.append("\\r");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\x%02x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }

  private static String goQuotedChar(int n) {
    return n >= 0x20 && n < 0x7f ? "'" + (char) n + "'" : String.format("'\\x%02x'", n);
  }

  private static String quotedDuration(Duration d) {
    return "\"" + goDuration(d == null ? Duration.ZERO : d) + "\"";
  }

  /** Go's {@code Duration.String()}: {@code 1m30s}, {@code 500ms}, {@code 0s}. */
  static String goDuration(Duration d) {
    long ns = d.toNanos();
    if (ns == 0) {
      return "0s";
    }
    if (ns < 1_000) {
      return ns + "ns";
    }
    if (ns < 1_000_000) {
      return trim(ns / 1e3) + "µs";
    }
    if (ns < 1_000_000_000) {
      return trim(ns / 1e6) + "ms";
    }
    long h = ns / 3_600_000_000_000L;
    long m = ns / 60_000_000_000L % 60;
    double s = (ns % 60_000_000_000L) / 1e9;
    StringBuilder sb = new StringBuilder();
    if (h > 0) {
      sb.append(h).append('h');
    }
    if (h > 0 || m > 0) {
      sb.append(m).append('m');
    }
    return sb.append(trim(s)).append('s').toString();
  }

  private static String trim(double v) {
    String s = new java.math.BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
    return s;
  }
}
