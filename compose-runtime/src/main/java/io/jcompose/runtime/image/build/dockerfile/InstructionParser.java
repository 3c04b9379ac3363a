package io.jcompose.runtime.image.build.dockerfile;

import io.jcompose.runtime.image.build.dockerfile.Instruction.ArgDef;
import io.jcompose.runtime.image.build.dockerfile.Instruction.Command;
import io.jcompose.runtime.image.build.dockerfile.Instruction.KeyValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Turns a {@link Node} into a typed {@link Instruction}, with BuildKit's argument rules. */
final class InstructionParser {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Pattern STAGE_NAME = Pattern.compile("^[a-z][a-z0-9-_.]*$");
  private static final Pattern WHITESPACE = Pattern.compile("[ \\t\\r\\n]+");
  private static final Map<String, Set<String>> FLAGS = Map.ofEntries(
      Map.entry("FROM", Set.of("platform")),
      Map.entry("RUN", Set.of("mount", "network", "security")),
      Map.entry("COPY", Set.of("from", "chown", "chmod", "link", "exclude", "parents")),
      Map.entry("ADD", Set.of("chown", "chmod", "link", "checksum", "keep-git-dir", "exclude")),
      Map.entry("HEALTHCHECK", Set.of("interval", "timeout", "start-period", "start-interval", "retries")));
  private static final Set<String> INSTRUCTIONS = Set.of("ADD", "ARG", "CMD", "COPY", "ENTRYPOINT",
      "ENV", "EXPOSE", "FROM", "HEALTHCHECK", "LABEL", "MAINTAINER", "ONBUILD", "RUN", "SHELL",
      "STOPSIGNAL", "USER", "VOLUME", "WORKDIR");
  private static final Set<String> BOOLEAN_FLAGS = Set.of("link", "keep-git-dir", "parents");
  private static final Set<String> REPEATABLE_FLAGS = Set.of("mount", "exclude");

  private final String file;
  private final char escape;

  InstructionParser(String file, char escape) {
    this.file = file;
    this.escape = escape;
  }

  Instruction parse(Node n) {
    String cmd = n.command();
    Map<String, List<String>> flags = flags(n, cmd);
    return switch (cmd) {
      case "FROM" -> from(n, flags);
      case "RUN" -> new Instruction.Run(n, command(n, true), flags.getOrDefault("mount", List.of()),
          single(flags, "network"), single(flags, "security"), n.heredocs());
      case "CMD" -> new Instruction.Cmd(n, command(n, false));
      case "ENTRYPOINT" -> new Instruction.Entrypoint(n, command(n, false));
      case "LABEL" -> new Instruction.Label(n, nameValues(n));
      case "MAINTAINER" -> new Instruction.Maintainer(n, requireOne(n));
      case "EXPOSE" -> new Instruction.Expose(n, atLeastOne(n, fields(n.args())));
      case "ENV" -> new Instruction.Env(n, nameValues(n));
      case "COPY" -> copy(n, flags);
      case "ADD" -> add(n, flags);
      case "VOLUME" -> volume(n);
      case "USER" -> new Instruction.User(n, requireOne(n));
      case "WORKDIR" -> new Instruction.Workdir(n, requireOne(n));
      case "ARG" -> arg(n);
      case "ONBUILD" -> onbuild(n);
      case "STOPSIGNAL" -> new Instruction.StopSignal(n, requireOne(n));
      case "HEALTHCHECK" -> healthcheck(n, flags);
      case "SHELL" -> shell(n);
      default -> throw error(n, "unknown instruction: " + n.keyword()
          + Suggestions.hint(n.keyword(), INSTRUCTIONS, false));
    };
  }

  private Map<String, List<String>> flags(Node n, String cmd) {
    Set<String> allowed = FLAGS.getOrDefault(cmd, Set.of());
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String f : n.flags()) {
      String body = f.substring(2);
      int eq = body.indexOf('=');
      String name = eq < 0 ? body : body.substring(0, eq);
      String value = eq < 0 ? null : unquote(body.substring(eq + 1));
      if (!allowed.contains(name)) {
        throw error(n, "unknown flag: --" + name + Suggestions.hint(name, allowed, true));
      }
      if (value == null) {
        if (!BOOLEAN_FLAGS.contains(name)) {
          throw error(n, "missing a value on flag: --" + name);
        }
        value = "true";
      } else if (BOOLEAN_FLAGS.contains(name) && !value.equals("true") && !value.equals("false")) {
        throw error(n, "expecting boolean value for flag --" + name + ", not: " + value);
      }
      List<String> values = out.computeIfAbsent(name, k -> new ArrayList<>());
      if (!values.isEmpty() && !REPEATABLE_FLAGS.contains(name)) {
        throw error(n, "duplicate flag specified: --" + name);
      }
      values.add(value);
    }
    return out;
  }

  private Instruction from(Node n, Map<String, List<String>> flags) {
    List<String> words = fields(n.args());
    String name = null;
    if (words.size() == 3 && words.get(1).equalsIgnoreCase("as")) {
      name = words.get(2).toLowerCase(Locale.ROOT);
      if (!STAGE_NAME.matcher(name).matches()) {
        throw error(n, "invalid name for build stage: \"" + words.get(2)
            + "\", name can't start with a number or contain symbols");
      }
    } else if (words.size() != 1) {
      throw error(n, "FROM requires either one or three arguments");
    }
    return new Instruction.From(n, words.getFirst(), name, single(flags, "platform"));
  }

  private Command command(Node n, boolean allowHeredoc) {
    List<String> json = json(n.args());
    if (json != null) {
      return new Command(json, false);
    }
    if (n.args().isEmpty()) {
      throw error(n, n.command() + " requires at least one argument");
    }
    return new Command(List.of(n.args()), true);
  }

  private Instruction copy(Node n, Map<String, List<String>> flags) {
    List<String> words = sourcesAndDest(n);
    return new Instruction.Copy(n, words.subList(0, words.size() - 1), words.getLast(),
        single(flags, "from"), single(flags, "chown"), single(flags, "chmod"),
        "true".equals(single(flags, "link")), flags.getOrDefault("exclude", List.of()), n.heredocs());
  }

  private Instruction add(Node n, Map<String, List<String>> flags) {
    List<String> words = sourcesAndDest(n);
    return new Instruction.Add(n, words.subList(0, words.size() - 1), words.getLast(),
        single(flags, "chown"), single(flags, "chmod"), "true".equals(single(flags, "link")),
        single(flags, "checksum"), "true".equals(single(flags, "keep-git-dir")),
        flags.getOrDefault("exclude", List.of()), n.heredocs());
  }

  private List<String> sourcesAndDest(Node n) {
    List<String> json = json(n.args());
    List<String> words = json != null ? json : fields(n.args());
    if (words.isEmpty()) {
      throw error(n, n.command() + " requires at least two arguments");
    }
    if (words.size() < 2) {
      throw error(n, n.command() + " requires at least two arguments, but only one was provided."
          + " Destination could not be determined");
    }
    return List.copyOf(words);
  }

  private Instruction volume(Node n) {
    List<String> json = json(n.args());
    List<String> paths = json != null ? json : fields(n.args());
    atLeastOne(n, paths);
    for (String p : paths) {
      if (p.isBlank()) {
        throw error(n, "VOLUME specified can not be an empty string");
      }
    }
    return new Instruction.Volume(n, List.copyOf(paths));
  }

  private Instruction arg(Node n) {
    List<String> words = quotedWords(n.args());
    atLeastOne(n, words);
    List<ArgDef> defs = new ArrayList<>();
    for (String w : words) {
      int eq = w.indexOf('=');
      String name = eq < 0 ? w : w.substring(0, eq);
      if (name.isEmpty()) {
        throw error(n, "ARG names can not be blank");
      }
      defs.add(new ArgDef(name, eq < 0 ? null : w.substring(eq + 1)));
    }
    return new Instruction.Arg(n, List.copyOf(defs));
  }

  private Instruction onbuild(Node n) {
    if (n.args().isEmpty()) {
      throw error(n, "ONBUILD requires at least one argument");
    }
    String trigger = n.args().split("[ \\t]+", 2)[0].toUpperCase(Locale.ROOT);
    switch (trigger) {
      case "ONBUILD" -> throw error(n, "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
      case "FROM", "MAINTAINER" -> throw error(n, trigger + " isn't allowed as an ONBUILD trigger");
      default -> {}
    }
    // the trigger must itself be a valid instruction
    List<Node> inner = new NodeReader(file, n.args()).read();
    for (Node i : inner) {
      parse(new Node(i.keyword(), i.flags(), i.args(), i.heredocs(), n.startLine(), n.endLine(), i.text()));
    }
    return new Instruction.OnBuild(n, n.args());
  }

  private Instruction healthcheck(Node n, Map<String, List<String>> flags) {
    if (n.args().isEmpty()) {
      throw error(n, "HEALTHCHECK requires at least one argument");
    }
    String[] parts = n.args().split("[ \\t]+", 2);
    String type = parts[0].toUpperCase(Locale.ROOT);
    String rest = parts.length > 1 ? parts[1].strip() : "";
    if (type.equals("NONE")) {
      if (!rest.isEmpty() || !n.flags().isEmpty()) {
        throw error(n, "HEALTHCHECK NONE takes no arguments");
      }
      return new Instruction.Healthcheck(n, List.of("NONE"), null, null, null, null, null);
    }
    if (!type.equals("CMD")) {
      throw error(n, "Unknown type \"" + type + "\" in HEALTHCHECK (try CMD)");
    }
    List<String> test = new ArrayList<>();
    List<String> json = json(rest);
    if (json != null) {
      test.add("CMD");
      test.addAll(json);
    } else {
      if (rest.isEmpty()) {
        throw error(n, "Missing command after HEALTHCHECK CMD");
      }
      test.add("CMD-SHELL");
      test.add(rest);
    }
    Integer retries = null;
    String r = single(flags, "retries");
    if (r != null) {
      try {
        retries = Integer.parseInt(r);
      } catch (NumberFormatException e) {
        throw error(n, "invalid value for --retries: " + r);
      }
      if (retries < 0) {
        throw error(n, "--retries cannot be negative (" + retries + ")");
      }
    }
    return new Instruction.Healthcheck(n, List.copyOf(test), interval(n, flags, "interval"),
        interval(n, flags, "timeout"), interval(n, flags, "start-period"),
        interval(n, flags, "start-interval"), retries);
  }

  private Duration interval(Node n, Map<String, List<String>> flags, String name) {
    String v = single(flags, name);
    if (v == null) {
      return null;
    }
    Duration d;
    try {
      d = GoDuration.parse(v);
    } catch (IllegalArgumentException e) {
      throw error(n, "invalid value for --" + name + ": " + e.getMessage());
    }
    if (d.isNegative()) {
      throw error(n, "Interval \"" + name + "\" cannot be negative");
    }
    if (!d.isZero() && d.compareTo(Duration.ofMillis(1)) < 0) {
      throw error(n, "Interval \"" + name + "\" cannot be less than 1ms");
    }
    return d;
  }

  private Instruction shell(Node n) {
    List<String> json = json(n.args());
    if (json == null) {
      throw error(n, "SHELL requires the arguments to be in JSON form");
    }
    if (json.isEmpty()) {
      throw error(n, "SHELL requires at least one argument");
    }
    return new Instruction.Shell(n, json);
  }

  /** ENV and LABEL: {@code k=v k2="v 2"} or the legacy {@code k value with spaces}. */
  private List<KeyValue> nameValues(Node n) {
    List<String> words = quotedWords(n.args());
    if (words.isEmpty()) {
      throw error(n, n.command() + " requires at least one argument");
    }
    List<KeyValue> out = new ArrayList<>();
    if (!words.getFirst().contains("=")) {
      String[] parts = WHITESPACE.split(n.args(), 2);
      if (parts.length < 2) {
        throw error(n, n.command() + " must have two arguments");
      }
      out.add(new KeyValue(parts[0], parts[1]));
    } else {
      for (String w : words) {
        int eq = w.indexOf('=');
        if (eq < 0) {
          throw error(n, "Syntax error - can't find = in \"" + w + "\". Must be of the form: name=value");
        }
        out.add(new KeyValue(w.substring(0, eq), w.substring(eq + 1)));
      }
    }
    for (KeyValue kv : out) {
      if (kv.key().isEmpty()) {
        throw error(n, n.command() + " names can not be blank");
      }
    }
    return List.copyOf(out);
  }

  private String requireOne(Node n) {
    if (n.args().isEmpty()) {
      throw error(n, n.command() + " requires exactly one argument");
    }
    return n.args();
  }

  private <T> List<T> atLeastOne(Node n, List<T> words) {
    if (words.isEmpty()) {
      throw error(n, n.command() + " requires at least one argument");
    }
    return words;
  }

  private static String single(Map<String, List<String>> flags, String name) {
    List<String> v = flags.get(name);
    return v == null ? null : v.getFirst();
  }

  /** A JSON array of strings, or null when the text is not one (then it is shell form). */
  static List<String> json(String args) {
    if (!args.startsWith("[")) {
      return null;
    }
    try {
      JsonNode node = JSON.readTree(args);
      if (!node.isArray()) {
        return null;
      }
      List<String> out = new ArrayList<>();
      for (JsonNode e : node) {
        if (!e.isString()) {
          return null;
        }
        out.add(e.stringValue());
      }
      return List.copyOf(out);
    } catch (JacksonException e) {
      return null;
    }
  }

  /** Whitespace-separated words, quotes not special (BuildKit's parseStringsWhitespaceDelimited). */
  static List<String> fields(String s) {
    String t = s.strip();
    return t.isEmpty() ? List.of() : List.of(WHITESPACE.split(t));
  }

  /** Words split on whitespace outside quotes; quotes and escapes kept for later expansion. */
  List<String> quotedWords(String s) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    char quote = 0;
    boolean escaped = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (escaped) {
        cur.append(c);
        escaped = false;
        continue;
      }
      if (c == escape && quote != '\'') {
        cur.append(c);
        escaped = true;
        continue;
      }
      if (quote != 0) {
        if (c == quote) {
          quote = 0;
        }
        cur.append(c);
      } else if (c == '"' || c == '\'') {
        quote = c;
        cur.append(c);
      } else if (Character.isWhitespace(c)) {
        if (!cur.isEmpty()) {
          out.add(cur.toString());
          cur.setLength(0);
        }
      } else {
        cur.append(c);
      }
    }
    if (!cur.isEmpty()) {
      out.add(cur.toString());
    }
    return out;
  }

  private static String unquote(String v) {
    if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
      return v.substring(1, v.length() - 1);
    }
    return v;
  }

  private DockerfileException error(Node n, String reason) {
    return new DockerfileException(file, n.startLine(), reason);
  }
}
