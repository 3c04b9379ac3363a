package io.jcompose.runtime.sys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Who owns which engine tag on this host ({@link HostNames}): one file per claimed tag,
 * {@code /run/jcompose/tags/<tag>}, holding the owner's data root and the process chain that
 * claimed it. Two data roots whose paths hash to the same 5 hex digits would share a table and
 * bridges; an engine therefore claims its tag at start, and when another data root that still
 * exists owns it, takes the first free deterministic alternative ({@link HostNames#hashed} with
 * attempt 1, 2, …). The tag taken is kept in the data root ({@value HostNames#TAG_FILE}), so it
 * stays the same across restarts and reboots (when {@code /run} starts empty and the engines
 * claim again in any order).
 *
 * <p>A record outlives its engine's process (containers and bridges keep running with the tag)
 * and goes when its data root is gone and its claimant and the claimant's parent have exited:
 * every claim drops such records, so test engines in temp directories leave nothing that grows. A data root whose kept tag is owned by another existing
 * data root (a copied data root) is refused with one line; it is never silently renamed, since
 * its networks record bridge names with the tag.
 *
 * <p>Claims are serialised by an {@code flock} on {@code .lock} in the registry (engines in other
 * processes) and a JVM-wide lock (engines in this process). Without permission to write the
 * registry (a non-root unit test) nothing is claimed and the names are {@link HostNames#forDataRoot}.
 */
public final class HostTags {
    /** The host's registry. */
    public static final Path REGISTRY = Path.of("/run/jcompose/tags");

    /** Alternatives tried after the hashed tag: a clash of 16 in a row means something else is wrong. */
    static final int MAX_ATTEMPTS = 16;

    private static final ReentrantLock IN_PROCESS = new ReentrantLock();
    private static final HostTags HOST = new HostTags(REGISTRY);

    private final Path registry;

    /** @param registry the directory of tag records (tests: a temp dir) */
    public HostTags(Path registry) {
        this.registry = registry;
    }

    /** The host's registry ({@code /run/jcompose/tags}). */
    public static HostTags host() {
        return HOST;
    }

    /**
     * The owner of a claimed tag.
     *
     * @param dataRoot the engine's absolute data root
     * @param pids the claiming process and its ancestors, nearest first (lets a test harness tell
     *     its own engines' objects from other runs' on a shared host)
     */
    public record Owner(Path dataRoot, List<Long> pids) {
        public Owner {
            pids = List.copyOf(pids);
        }

        static Owner parse(String text) {
            List<String> lines = text.lines().toList();
            if (lines.isEmpty() || lines.getFirst().isBlank()) return null;
            List<Long> pids = new ArrayList<>();
            if (lines.size() > 1 && lines.get(1).startsWith("pids ")) {
                for (String p : lines.get(1).substring(5).trim().split(" +")) {
                    try {
                        pids.add(Long.parseLong(p));
                    } catch (NumberFormatException ignored) {
                        // a damaged line names no process
                    }
                }
            }
            return new Owner(Path.of(lines.getFirst()), pids);
        }

        String render() {
            StringBuilder b = new StringBuilder(dataRoot.toString()).append("\npids");
            pids.forEach(p -> b.append(' ').append(p));
            return b.append('\n').toString();
        }
    }

    /**
     * Claims the tag of the engine on {@code dataRoot} (idempotent) and returns its names.
     *
     * @throws IllegalStateException with one line when the data root's kept tag belongs to
     *     another data root, or no alternative is free
     */
    public HostNames claim(Path dataRoot) {
        Path root = dataRoot.toAbsolutePath().normalize();
        IN_PROCESS.lock();
        try {
            Files.createDirectories(registry);
            try (FileChannel ch = FileChannel.open(registry.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = ch.lock()) {
                return claimLocked(root);
            }
        } catch (AccessDeniedException e) {
            return HostNames.forDataRoot(root); // not root: cannot make kernel objects either, nothing to keep apart
        } catch (IOException e) {
            throw new UncheckedIOException("cannot claim the engine tag of " + root + " in " + registry + ": " + e.getMessage(), e);
        } finally {
            IN_PROCESS.unlock();
        }
    }

    /** The owner recorded for {@code tag}, if any. */
    public Optional<Owner> owner(String tag) {
        try {
            return Optional.ofNullable(Owner.parse(Files.readString(registry.resolve(tag), StandardCharsets.UTF_8)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Every tag with a record, and its owner. */
    public java.util.Map<String, Owner> owners() {
        java.util.Map<String, Owner> out = new java.util.TreeMap<>();
        if (!Files.isDirectory(registry)) return out;
        try (DirectoryStream<Path> s = Files.newDirectoryStream(registry, "[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]")) {
            for (Path p : s) owner(p.getFileName().toString()).ifPresent(o -> out.put(p.getFileName().toString(), o));
        } catch (IOException e) {
            // an unreadable registry has no owners to offer
        }
        return out;
    }

    private HostNames claimLocked(Path root) throws IOException {
        dropStale();
        Files.createDirectories(root);
        Path kept = root.resolve(HostNames.TAG_FILE);
        if (Files.exists(kept)) {
            HostNames names = HostNames.remembered(root).orElseThrow(() -> new IllegalStateException(
                    kept + " does not hold an engine tag (5 hex digits); remove it if this data root has no networks or containers"));
            Owner other = owner(names.tag()).filter(o -> !o.dataRoot().equals(root)).orElse(null);
            if (other != null) {
                throw new IllegalStateException("engine tag " + names.tag() + " kept in " + kept + " belongs to data root " + other.dataRoot()
                        + " (" + registry.resolve(names.tag()) + "); is " + root + " a copy of it? Give each engine its own data root");
            }
            record(names.tag(), root);
            return names;
        }
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            HostNames names = HostNames.hashed(root, attempt);
            Optional<Owner> owner = owner(names.tag());
            if (owner.isEmpty() || owner.get().dataRoot().equals(root)) {
                record(names.tag(), root);
                Files.writeString(kept, names.tag() + "\n", StandardCharsets.US_ASCII); // the same tag from now on
                return names;
            }
        }
        throw new IllegalStateException("no free engine tag for data root " + root + " after " + MAX_ATTEMPTS + " attempts; see " + registry);
    }

    /** Writes the record unless it already says the same (a restart in the same process chain); a data root owns one tag. */
    private void record(String tag, Path root) throws IOException {
        for (var e : owners().entrySet()) {
            if (!e.getKey().equals(tag) && e.getValue().dataRoot().equals(root)) Files.deleteIfExists(registry.resolve(e.getKey()));
        }
        String text = new Owner(root, processChain()).render();
        Path file = registry.resolve(tag);
        try {
            if (Files.readString(file, StandardCharsets.UTF_8).equals(text)) return;
        } catch (IOException absent) {
            // written below
        }
        Path tmp = registry.resolve("." + tag + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Records whose data root no longer exists (a removed test root, a moved one): their tag is
     * free. Kept while the claiming process or its parent lives (a test JVM and the daemons it
     * starts), so a test harness can still tell which objects its engines made.
     */
    private void dropStale() {
        owners().forEach((tag, owner) -> {
            boolean claimantAlive = owner.pids().stream().limit(2).anyMatch(p -> ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false));
            if (!Files.isDirectory(owner.dataRoot()) && !claimantAlive) {
                try {
                    Files.deleteIfExists(registry.resolve(tag));
                } catch (IOException e) {
                    // left for the next claim
                }
            }
        });
    }

    /** This process and its ancestors (init excluded), nearest first. */
    static List<Long> processChain() {
        List<Long> out = new ArrayList<>();
        Optional<ProcessHandle> p = Optional.of(ProcessHandle.current());
        while (p.isPresent() && p.get().pid() > 1 && out.size() < 64) {
            out.add(p.get().pid());
            p = p.get().parent();
        }
        return out;
    }
}
