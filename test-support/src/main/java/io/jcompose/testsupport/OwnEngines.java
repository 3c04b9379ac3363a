package io.jcompose.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The engines this test JVM started, in-process or as child daemons, found through the host's
 * engine tag registry: an engine claims its tag at start in {@code /run/jcompose/tags/<tag>}
 * (compose-runtime's {@code HostTags}: first line its data root, second {@code pids <claimant>
 * <its parent> …}); a record whose process chain holds this JVM's pid is ours. Its kernel objects
 * carry the tag ({@code docs/conventions.md}), so a leftover can be told to be ours and not
 * another test run's on a shared host.
 *
 * @param dataRoots data root by tag
 */
public record OwnEngines(Map<String, Path> dataRoots) {
    /** The registry (the same path as compose-runtime's {@code HostTags.REGISTRY}). */
    public static final Path REGISTRY = Path.of("/run/jcompose/tags");

    private static final Pattern TAGGED = Pattern.compile(
            "^(?:link jc([0-9a-f]{5})[-v].*|nft table inet jcompose-([0-9a-f]{5})|cgroup .*/jcompose-([0-9a-f]{5})(?:/.*)?)$");
    private static final Pattern MOUNT = Pattern.compile("^mount (\\S+) \\(.*\\)$");
    /** A container's network namespace: the name carries only the container id. */
    private static final Pattern NETNS = Pattern.compile("^(?:netns jc-|mount /run/netns/jc-)([0-9a-f]{64})(?: \\(nsfs\\))?$");

    public OwnEngines {
        dataRoots = Map.copyOf(dataRoots);
    }

    /** The engines of this JVM in the host's registry. */
    public static OwnEngines ofThisJvm() {
        return read(REGISTRY, ProcessHandle.current().pid());
    }

    /** The records of {@code registry} whose process chain holds {@code pid}. */
    static OwnEngines read(Path registry, long pid) {
        Map<String, Path> out = new TreeMap<>();
        if (!Files.isDirectory(registry)) return new OwnEngines(out);
        try (DirectoryStream<Path> s = Files.newDirectoryStream(registry, "[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]")) {
            for (Path record : s) {
                try {
                    var lines = Files.readString(record, StandardCharsets.UTF_8).lines().toList();
                    if (lines.size() < 2 || !lines.get(1).startsWith("pids ")) continue;
                    for (String p : lines.get(1).substring(5).trim().split(" +")) {
                        if (p.equals(Long.toString(pid))) out.put(record.getFileName().toString(), Path.of(lines.getFirst()));
                    }
                } catch (IOException e) {
                    // removed while we read: not ours any more
                }
            }
        } catch (IOException e) {
            // no registry to read: nothing is known to be ours
        }
        return new OwnEngines(out);
    }

    /**
     * Whether a {@link HostState} object is one of these engines': a link, nft table or cgroup
     * named with one of their tags, a mount under one of their data roots, or the netns of a
     * container one of their data roots still has (a netns left after its data root was deleted
     * cannot be told).
     */
    public boolean owns(String object) {
        Matcher t = TAGGED.matcher(object);
        if (t.matches()) {
            for (int g = 1; g <= t.groupCount(); g++) if (t.group(g) != null) return dataRoots.containsKey(t.group(g));
        }
        Matcher n = NETNS.matcher(object);
        if (n.matches()) { // ours while one of our data roots still has that container
            return dataRoots.values().stream().anyMatch(root -> Files.isDirectory(root.resolve("containers").resolve(n.group(1))));
        }
        Matcher m = MOUNT.matcher(object);
        return m.matches() && dataRoots.values().stream().anyMatch(root -> Path.of(m.group(1)).startsWith(root));
    }
}
