package io.jcompose.runtime.volume;

import io.jcompose.runtime.api.EngineApiException;
import io.jcompose.runtime.api.EventSink;
import io.jcompose.runtime.api.Filters;
import io.jcompose.runtime.api.model.PruneReport;
import io.jcompose.runtime.api.model.Volume;
import io.jcompose.runtime.api.model.VolumeCreateRequest;
import io.jcompose.runtime.api.server.VolumeBackend;
import io.jcompose.runtime.state.ObjectLocks;
import io.jcompose.runtime.state.StateStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Named volumes with Docker's {@code local} driver: each is a directory
 * {@code <dataRoot>/volumes/<name>/_data}, described by a record in the state store.
 *
 * <p>Create writes the record, then the directory; remove deletes the directory, then the record.
 * So after a crash a record without a directory is stale (dropped at load) and a directory
 * without a record is adopted, as Docker's local driver adopts what it finds.
 */
public final class VolumeService implements VolumeBackend {

    private static final Logger LOG = LoggerFactory.getLogger(VolumeService.class);

    /** The label Docker puts on volumes created without a name (prune removes only those by default). */
    public static final String ANONYMOUS_LABEL = "com.docker.volume.anonymous";
    /** The only driver. */
    public static final String LOCAL = "local";

    private static final String KIND = "volumes";
    private static final Pattern NAME = Pattern.compile("^[a-zA-Z0-9][a-zA-Z0-9_.-]+$");
    private static final Set<String> LOCAL_OPTS = Set.of("type", "device", "o", "size");
    private static final Set<String> LIST_FILTERS = Set.of("dangling", "driver", "label", "name");
    private static final Set<String> PRUNE_FILTERS = Set.of("label", "label!", "all");
    private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ISO_OFFSET_DATE_TIME;

    private final Path volumesDir;
    private final StateStore store;
    private final VolumeUsage usage;
    private final EventSink events;
    private final ObjectLocks locks = new ObjectLocks();
    private final Map<String, VolumeRecord> volumes = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    /**
     * Loads the volumes of {@code dataRoot} and repairs what a crash may have left.
     *
     * @param usage which containers use a volume (from the container engine)
     */
    public VolumeService(Path dataRoot, StateStore store, VolumeUsage usage, EventSink events) {
        this.volumesDir = dataRoot.resolve("volumes");
        this.store = store;
        this.usage = usage;
        this.events = events;
        load();
    }

    private void load() {
        try {
            Files.createDirectories(volumesDir);
            Files.setPosixFilePermissions(volumesDir, PosixFilePermissions.fromString("rwx-----x"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + volumesDir + ": " + e.getMessage(), e);
        }
        for (Map.Entry<String, VolumeRecord> e : store.loadAll(KIND, VolumeRecord.class).entrySet()) {
            if (Files.isDirectory(dataDir(e.getKey()), LinkOption.NOFOLLOW_LINKS)) {
                volumes.put(e.getKey(), e.getValue());
            } else {
                LOG.warn("volume {} has a record but no data directory (interrupted create or remove); dropping the record", e.getKey());
                store.delete(KIND, e.getKey());
            }
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(volumesDir)) {
            for (Path d : dirs) {
                String name = d.getFileName().toString();
                if (!volumes.containsKey(name) && NAME.matcher(name).matches() && Files.isDirectory(d.resolve("_data"), LinkOption.NOFOLLOW_LINKS)) {
                    Instant created = Files.getLastModifiedTime(d).toInstant();
                    VolumeRecord r = new VolumeRecord(name, LOCAL, Map.of(), Map.of(), format(created));
                    store.put(KIND, name, r);
                    volumes.put(name, r);
                    LOG.info("adopted volume directory {} without a record", d);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + volumesDir + ": " + e.getMessage(), e);
        }
    }

    /** The directory a container mounts for this volume (its {@code Mountpoint}). */
    public Path mountpoint(String name) {
        return dataDir(inspectRecord(name).name());
    }

    @Override
    public Volume create(VolumeCreateRequest request) {
        String driver = request.driver() == null || request.driver().isEmpty() ? LOCAL : request.driver();
        if (!driver.equals(LOCAL)) {
            throw EngineApiException.notFound("error looking up volume plugin " + driver + ": plugin \"" + driver + "\" not found");
        }
        Map<String, String> labels = request.labels() == null ? null : new LinkedHashMap<>(request.labels());
        String name = request.name();
        if (name == null || name.isEmpty()) {
            name = HexFormat.of().formatHex(randomBytes());
            labels = labels == null ? new LinkedHashMap<>() : labels;
            labels.put(ANONYMOUS_LABEL, "");
        } else if (!NAME.matcher(name).matches()) {
            throw EngineApiException.badRequest("create " + name + ": \"" + name
                    + "\" includes invalid characters for a local volume name, only \"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed."
                    + " If you intended to pass a host directory, use absolute path");
        }
        Map<String, String> opts = request.driverOpts() == null ? null : Map.copyOf(request.driverOpts());
        if (opts != null) {
            for (String k : opts.keySet()) {
                if (!LOCAL_OPTS.contains(k)) {
                    throw EngineApiException.badRequest("create " + name + ": invalid option: \"" + k + "\"");
                }
            }
        }
        String finalName = name;
        Map<String, String> finalLabels = labels;
        return locks.withLock(name, () -> {
            VolumeRecord existing = volumes.get(finalName);
            if (existing != null) {
                return toApi(existing); // Docker's create returns the existing volume of that name
            }
            VolumeRecord r = new VolumeRecord(finalName, LOCAL, finalLabels, opts, format(Instant.now()));
            store.put(KIND, finalName, r);
            try {
                Files.createDirectories(dataDir(finalName));
            } catch (IOException e) {
                store.delete(KIND, finalName);
                throw EngineApiException.internal("create " + finalName + ": " + e.getMessage());
            }
            volumes.put(finalName, r);
            events.publish(EventSink.event("volume", "create", finalName, Map.of("driver", LOCAL)));
            return toApi(r);
        });
    }

    private byte[] randomBytes() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return b;
    }

    @Override
    public List<Volume> list(Filters filters) {
        try {
            filters.validate(LIST_FILTERS);
        } catch (IllegalArgumentException e) {
            throw EngineApiException.badRequest(e.getMessage());
        }
        boolean danglingSet = filters.has("dangling");
        boolean dangling;
        try {
            dangling = filters.bool("dangling", false);
        } catch (IllegalArgumentException e) {
            throw EngineApiException.badRequest(e.getMessage());
        }
        List<Volume> out = new ArrayList<>();
        for (VolumeRecord r : sorted()) {
            if (!filters.match("name", r.name())
                    || !filters.exactMatch("driver", r.driver())
                    || !filters.matchLabels("label", r.labels())) {
                continue;
            }
            if (danglingSet && usage.containersUsing(r.name()).isEmpty() != dangling) {
                continue;
            }
            out.add(toApi(r));
        }
        return out;
    }

    @Override
    public Volume inspect(String name) {
        return toApi(inspectRecord(name));
    }

    private VolumeRecord inspectRecord(String name) {
        VolumeRecord r = volumes.get(name);
        if (r == null) {
            throw EngineApiException.notFound("get " + name + ": no such volume");
        }
        return r;
    }

    @Override
    public void remove(String name, boolean force) {
        locks.withLock(name, () -> {
            VolumeRecord r = volumes.get(name);
            if (r == null) {
                if (force) {
                    return;
                }
                throw EngineApiException.notFound("get " + name + ": no such volume");
            }
            List<String> users = usage.containersUsing(name);
            if (!users.isEmpty()) {
                throw EngineApiException.conflict("remove " + name + ": volume is in use - [" + String.join(", ", users) + "]");
            }
            delete(r);
        });
    }

    private long delete(VolumeRecord r) {
        Path dir = volumesDir.resolve(r.name());
        long size = sizeOf(dir);
        try {
            deleteTree(dir);
        } catch (IOException e) {
            throw EngineApiException.internal("remove " + r.name() + ": " + e.getMessage());
        }
        store.delete(KIND, r.name());
        volumes.remove(r.name());
        events.publish(EventSink.event("volume", "destroy", r.name(), Map.of("driver", r.driver())));
        return size;
    }

    @Override
    public PruneReport prune(Filters filters) {
        try {
            filters.validate(PRUNE_FILTERS);
            boolean all = filters.bool("all", false);
            List<String> deleted = new ArrayList<>();
            long reclaimed = 0;
            for (VolumeRecord r : sorted()) {
                boolean anonymous = r.labels() != null && r.labels().containsKey(ANONYMOUS_LABEL);
                if ((!all && !anonymous) || !filters.matchLabelsWithNegation(r.labels())) {
                    continue;
                }
                AtomicLong size = new AtomicLong(-1);
                locks.withLock(r.name(), () -> {
                    if (volumes.containsKey(r.name()) && usage.containersUsing(r.name()).isEmpty()) {
                        size.set(delete(r));
                    }
                });
                if (size.get() >= 0) {
                    deleted.add(r.name());
                    reclaimed += size.get();
                }
            }
            events.publish(EventSink.event("volume", "prune", "", Map.of("reclaimed", Long.toString(reclaimed))));
            return PruneReport.volumes(deleted, reclaimed);
        } catch (IllegalArgumentException e) {
            throw EngineApiException.badRequest(e.getMessage());
        }
    }

    private List<VolumeRecord> sorted() {
        return volumes.values().stream().sorted(Comparator.comparing(VolumeRecord::name)).toList();
    }

    private Volume toApi(VolumeRecord r) {
        return new Volume(r.name(), r.driver(), dataDir(r.name()).toString(), r.createdAt(), r.labels(), "local", r.options());
    }

    private Path dataDir(String name) {
        return volumesDir.resolve(name).resolve("_data");
    }

    private static String format(Instant t) {
        return RFC3339.format(t.truncatedTo(ChronoUnit.SECONDS).atOffset(ZoneOffset.UTC));
    }

    private static long sizeOf(Path dir) {
        AtomicLong total = new AtomicLong();
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile()) {
                        total.addAndGet(attrs.size());
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            LOG.debug("cannot size {}: {}", dir, e.toString());
        }
        return total.get();
    }

    /** Deletes a tree without following symbolic links (a volume may hold links to anywhere). */
    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                if (exc != null) {
                    throw exc;
                }
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
