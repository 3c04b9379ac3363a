package io.jcompose.runtime.container.seccomp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A seccomp profile in Docker's form: a default action and rules that apply only on some
 * architectures, with some capabilities or from some kernel version on ({@code includes}), or not
 * ({@code excludes}). {@link #forContainer} resolves it for one container into the OCI
 * {@code linux.seccomp} the shim (and runc) install, with the rules moby's {@code setupSeccomp}
 * keeps: an include needs every listed capability in the bounding set, the architecture, and a
 * kernel at least that new; an exclude drops the rule on any listed capability, the architecture,
 * or a kernel at least that new. {@code --security-opt seccomp=<file>} profiles are read with
 * {@link #parse}; the built-in one is {@link DefaultSeccompProfile#PROFILE}.
 *
 * @param defaultAction   {@code SCMP_ACT_ERRNO}, {@code SCMP_ACT_ALLOW}, …
 * @param defaultErrnoRet errno of the default action (null: EPERM)
 * @param architectures   the profile's explicit list (old form), or empty
 * @param archMap         native architecture → sub-architectures (new form), or empty
 * @param rules           in order; the first that matches a call decides
 */
public record SeccompProfile(String defaultAction, Integer defaultErrnoRet, List<String> architectures, List<ArchEntry> archMap,
                             List<Rule> rules) {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    public SeccompProfile {
        architectures = List.copyOf(architectures);
        archMap = List.copyOf(archMap);
        rules = List.copyOf(rules);
    }

    /** An {@code archMap} entry: the native architecture and the ones its filter also covers. */
    public record ArchEntry(String architecture, List<String> subArchitectures) {}

    /** When a rule applies: every capability, one of the architectures (Docker's native names), a minimum kernel. */
    public record Condition(List<String> caps, List<String> arches, KernelVersion minKernel) {
        public static final Condition NONE = new Condition(List.of(), List.of(), null);

        public Condition {
            caps = List.copyOf(caps);
            arches = List.copyOf(arches);
        }

        boolean isEmpty() {
            return caps.isEmpty() && arches.isEmpty() && minKernel == null;
        }
    }

    /** A condition on one argument ({@code op}: {@code SCMP_CMP_EQ}, {@code _NE}, {@code _LT}, {@code _LE}, {@code _GT}, {@code _GE}, {@code _MASKED_EQ}). */
    public record Arg(int index, long value, long valueTwo, String op) {}

    /** One rule: the calls, the action (with its errno), argument conditions (all must hold), and when it applies. */
    public record Rule(List<String> names, String action, Integer errnoRet, List<Arg> args, Condition includes, Condition excludes) {
        public Rule {
            names = List.copyOf(names);
            args = List.copyOf(args);
        }
    }

    /** A kernel version {@code major.minor} (Docker's {@code minKernel}). */
    public record KernelVersion(int major, int minor) implements Comparable<KernelVersion> {
        /** {@code 4.8}, or a release string like {@code 6.18.44-fc}. */
        public static KernelVersion parse(String s) {
            String[] p = s.strip().split("[.-]");
            try {
                return new KernelVersion(Integer.parseInt(p[0]), p.length > 1 ? Integer.parseInt(p[1]) : 0);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("invalid kernel version: " + s);
            }
        }

        /** The running kernel's. */
        public static KernelVersion running() {
            try {
                return parse(Files.readString(Path.of("/proc/sys/kernel/osrelease")));
            } catch (IOException e) {
                return new KernelVersion(0, 0);
            }
        }

        @Override
        public int compareTo(KernelVersion o) {
            return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
        }
    }

    /** Docker's native name of the architecture we run on ({@code amd64}, {@code arm64}, …). */
    public static String nativeArch() {
        return switch (System.getProperty("os.arch")) {
            case "amd64", "x86_64" -> "amd64";
            case "aarch64", "arm64" -> "arm64";
            case "x86", "i386", "i686" -> "x86";
            case String other -> other;
        };
    }

    /** libseccomp's name of a Docker native architecture name. */
    static String scmpArch(String nativeArch) {
        return switch (nativeArch) {
            case "amd64" -> "SCMP_ARCH_X86_64";
            case "x86" -> "SCMP_ARCH_X86";
            case "x32" -> "SCMP_ARCH_X32";
            case "arm64" -> "SCMP_ARCH_AARCH64";
            case "arm" -> "SCMP_ARCH_ARM";
            default -> "SCMP_ARCH_" + nativeArch.toUpperCase(java.util.Locale.ROOT);
        };
    }

    /**
     * The OCI {@code linux.seccomp} for a container with this bounding capability set, on this
     * architecture and kernel: the rules whose conditions hold, with their names, action, errno
     * and arguments.
     */
    public JsonNode forContainer(Collection<String> boundingCaps, String nativeArch, KernelVersion kernel) {
        ObjectNode out = JSON.createObjectNode();
        out.put("defaultAction", defaultAction);
        if (defaultErrnoRet != null) out.put("defaultErrnoRet", defaultErrnoRet);
        ArrayNode arches = out.putArray("architectures");
        if (!architectures.isEmpty()) {
            architectures.forEach(arches::add);
        } else {
            String scmp = scmpArch(nativeArch);
            archMap.stream().filter(a -> a.architecture().equals(scmp)).findFirst().ifPresent(a -> {
                arches.add(a.architecture());
                a.subArchitectures().forEach(arches::add);
            });
        }
        ArrayNode calls = out.putArray("syscalls");
        for (Rule r : rules) {
            if (!applies(r, boundingCaps, nativeArch, kernel)) continue;
            ObjectNode c = calls.addObject();
            ArrayNode names = c.putArray("names");
            r.names().forEach(names::add);
            c.put("action", r.action());
            if (r.errnoRet() != null) c.put("errnoRet", r.errnoRet());
            if (!r.args().isEmpty()) {
                ArrayNode args = c.putArray("args");
                for (Arg a : r.args()) {
                    ObjectNode an = args.addObject();
                    an.put("index", a.index());
                    an.put("value", a.value());
                    an.put("valueTwo", a.valueTwo());
                    an.put("op", a.op());
                }
            }
        }
        return out;
    }

    static boolean applies(Rule r, Collection<String> caps, String arch, KernelVersion kernel) {
        Condition ex = r.excludes();
        if (ex.arches().contains(arch) || ex.caps().stream().anyMatch(caps::contains)
                || ex.minKernel() != null && kernel.compareTo(ex.minKernel()) >= 0) {
            return false;
        }
        Condition in = r.includes();
        return (in.arches().isEmpty() || in.arches().contains(arch)) && caps.containsAll(in.caps())
                && (in.minKernel() == null || kernel.compareTo(in.minKernel()) >= 0);
    }

    // ---- Docker's JSON form -----------------------------------------------------------------

    /** Reads a profile file in Docker's form ({@code docker run --security-opt seccomp=<file>}). */
    public static SeccompProfile read(Path file) throws IOException {
        return parse(Files.readString(file), file.toString());
    }

    /**
     * Parses Docker's form (also the plain OCI form, which it extends).
     *
     * @param where named in errors
     * @throws IllegalArgumentException with what is wrong and where
     */
    public static SeccompProfile parse(String json, String where) {
        JsonNode n;
        try {
            n = JSON.readTree(json);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("seccomp profile " + where + " is not valid JSON: " + e.getOriginalMessage());
        }
        if (n == null || !n.isObject()) throw new IllegalArgumentException("seccomp profile " + where + " is not a JSON object");
        String def = text(n, "defaultAction");
        if (def == null || def.isEmpty()) throw new IllegalArgumentException("seccomp profile " + where + " has no defaultAction");
        List<String> arches = strings(n.get("architectures"));
        List<ArchEntry> archMap = new ArrayList<>();
        for (JsonNode a : iter(n.get("archMap"))) {
            archMap.add(new ArchEntry(text(a, "architecture"), strings(a.get("subArchitectures"))));
        }
        if (!arches.isEmpty() && !archMap.isEmpty()) {
            throw new IllegalArgumentException("seccomp profile " + where
                    + ": both 'architectures' and 'archMap' are specified, use either 'architectures' or 'archMap'");
        }
        List<Rule> rules = new ArrayList<>();
        for (JsonNode s : iter(n.get("syscalls"))) {
            List<String> names = strings(s.get("names"));
            String name = text(s, "name");
            if (name != null && !name.isEmpty()) {
                if (!names.isEmpty()) {
                    throw new IllegalArgumentException("seccomp profile " + where
                            + ": both 'name' and 'names' are specified, use either 'name' or 'names'");
                }
                names = List.of(name);
            }
            String action = text(s, "action");
            if (action == null) throw new IllegalArgumentException("seccomp profile " + where + ": a rule for " + names + " has no action");
            List<Arg> args = new ArrayList<>();
            for (JsonNode a : iter(s.get("args"))) {
                args.add(new Arg(a.path("index").asInt(), a.path("value").asLong(), a.path("valueTwo").asLong(), text(a, "op")));
            }
            rules.add(new Rule(names, action, s.hasNonNull("errnoRet") ? s.get("errnoRet").asInt() : null, args,
                    condition(s.get("includes")), condition(s.get("excludes"))));
        }
        return new SeccompProfile(def, n.hasNonNull("defaultErrnoRet") ? n.get("defaultErrnoRet").asInt() : null, arches, archMap, rules);
    }

    private static Condition condition(JsonNode c) {
        if (c == null || c.isNull()) return Condition.NONE;
        String k = text(c, "minKernel");
        return new Condition(strings(c.get("caps")), strings(c.get("arches")), k == null || k.isEmpty() ? null : KernelVersion.parse(k));
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asString();
    }

    private static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        for (JsonNode v : iter(n)) out.add(v.asString());
        return out;
    }

    private static Iterable<JsonNode> iter(JsonNode n) {
        return n == null || !n.isArray() ? List.of() : n;
    }
}
