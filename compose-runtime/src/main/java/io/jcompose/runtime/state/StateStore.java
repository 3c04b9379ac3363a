package io.jcompose.runtime.state;

import io.jcompose.runtime.api.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * One JSON record per object, under {@code <root>/<kind>/<id>.json} (the daemon's root is
 * {@code <dataRoot>/state}), each written atomically: temp file, fsync, rename over the old one,
 * fsync the directory. A crash leaves either the old or the new record, never a torn one; leftover
 * temp files are removed when a kind is loaded.
 *
 * <p>The directory fsync (which makes a rename or an unlink durable) is a group commit: callers
 * that changed the same directory at about the same time share one fsync that began after their
 * change, so a {@code down} of 50 containers costs a few directory fsyncs instead of 50 (each
 * caller still returns only once its change is on disk).
 *
 * <p>{@link #putLater}/{@link #deleteLater} are the write-behind form for state that changes on
 * hot paths and is reconciled at start anyway (the network's, kernel objects being the truth;
 * records of a removed container, dropped at start): one background thread writes, in order, only
 * the latest value of each record, atomically but without fsync (a create+rename+fsync costs
 * milliseconds on a busy disk); {@link #get} sees a queued value; {@link #flush} waits for the queue.
 */
public final class StateStore implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StateStore.class);
    private static final Pattern SAFE = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]*");
    private static final String TMP = ".tmp-";

    private final Path root;
    private final JsonMapper mapper;
    /** Write-behind: the latest value (or {@link #DELETE}) per record file, written by one thread. */
    private final Map<Path, Queued> pending = new ConcurrentHashMap<>();
    private volatile ExecutorService writer;
    private static final Object DELETE = new Object();
    /** The group commit of each directory's fsyncs. */
    private final Map<Path, DirSync> dirSyncs = new ConcurrentHashMap<>();

    /** @param root usually {@code <dataRoot>/state}; records in the Engine API's JSON form ({@link Json#mapper()}) */
    public StateStore(Path root) {
        this(root, Json.mapper());
    }

    /** With the JSON form of records already on disk in another form (the network's camelCase records). */
    public StateStore(Path root, JsonMapper mapper) {
        this.root = root;
        this.mapper = mapper;
    }

    /** The directory of one kind of object. */
    public Path dir(String kind) {
        return root.resolve(check(kind));
    }

    /** Writes (creates or replaces) a record atomically and durably. */
    public void put(String kind, String id, Object record) {
        write(dir(kind), check(id), record, true);
    }

    /**
     * Queues a write of the record (write-behind, see the class comment); a later value for the
     * same record replaces a queued one.
     */
    public void putLater(String kind, String id, Object record) {
        later(dir(kind), check(id), record);
    }

    /** Queues the deletion of a record (write-behind). */
    public void deleteLater(String kind, String id) {
        later(dir(kind), check(id), DELETE);
    }

    /** Waits until every write queued so far is on disk. */
    public void flush() {
        ExecutorService w = writer;
        if (w == null) {
            return;
        }
        try {
            w.submit(() -> { }).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Flushes the write-behind queue and stops its thread. */
    @Override
    public void close() {
        flush();
        ExecutorService w = writer;
        if (w != null) {
            w.shutdown();
        }
    }

    /**
     * The queued value stays in {@link #pending} until it is written (so {@link #get} never reads
     * an older file meanwhile); a value queued during the write is written next, by the same task.
     */
    private void later(Path dir, String id, Object value) {
        Path file = dir.resolve(id + ".json");
        if (pending.put(file, new Queued(value)) == null) {
            writer().execute(() -> {
                Queued latest;
                while ((latest = pending.get(file)) != null) {
                    try {
                        if (latest.value() == DELETE) {
                            Files.deleteIfExists(file);
                        } else {
                            write(dir, id, latest.value(), false);
                        }
                    } catch (IOException | RuntimeException e) {
                        LOG.error("cannot store state record {}: {}", file, e.getMessage());
                    }
                    if (pending.remove(file, latest)) {
                        return;
                    }
                }
            });
        }
    }

    /** A queued value; compared by identity, so a new value equal to the one being written is still written. */
    private static final class Queued {
        private final Object value;

        Queued(Object value) {
            this.value = value;
        }

        Object value() {
            return value;
        }
    }

    private ExecutorService writer() {
        ExecutorService w = writer;
        if (w == null) {
            synchronized (this) {
                w = writer;
                if (w == null) {
                    w = Executors.newSingleThreadExecutor(r -> {
                        Thread t = new Thread(r, "jc-state-writer");
                        t.setDaemon(true);
                        return t;
                    });
                    writer = w;
                }
            }
        }
        return w;
    }

    private void write(Path dir, String id, Object record, boolean durable) {
        Path target = dir.resolve(id + ".json");
        Path tmp = dir.resolve(TMP + id + "-" + Thread.currentThread().threadId());
        try {
            Files.createDirectories(dir);
            byte[] bytes = mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(record);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                if (durable) {
                    ch.force(true);
                }
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the state directory " + dir + " does not support atomic renames", e);
            }
            if (durable) {
                syncDir(dir);
            }
        } catch (IOException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // best effort; load() removes leftovers
            }
            throw new UncheckedIOException("cannot write state record " + target + ": " + e.getMessage(), e);
        }
    }

    /** Reads one record, empty if there is none. */
    public <T> Optional<T> get(String kind, String id, Class<T> type) {
        Path file = dir(kind).resolve(check(id) + ".json");
        Queued queued = pending.get(file);
        if (queued != null) {
            Object value = queued.value();
            if (value == DELETE) {
                return Optional.empty();
            }
            return Optional.of(type.isInstance(value) ? type.cast(value) : mapper.convertValue(value, type));
        }
        try {
            return Optional.of(mapper.readValue(Files.readAllBytes(file), type));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read state record " + file + ": " + e.getMessage(), e);
        } catch (JacksonException e) {
            throw new IllegalStateException("state record " + file + " is not valid: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Loads every record of a kind (at daemon start), in the order of their ids. Unreadable records
     * are logged and moved aside to {@code <id>.json.corrupt} so one bad file does not stop the daemon.
     */
    public <T> Map<String, T> loadAll(String kind, Class<T> type) {
        Path dir = dir(kind);
        Map<String, T> out = new LinkedHashMap<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            List<Path> files = new ArrayList<>();
            stream.forEach(files::add);
            files.sort(null);
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (name.startsWith(TMP)) {
                    Files.deleteIfExists(f); // a write interrupted by a crash; the old record is intact
                    continue;
                }
                if (!name.endsWith(".json")) {
                    continue;
                }
                String id = name.substring(0, name.length() - ".json".length());
                try {
                    out.put(id, mapper.readValue(Files.readAllBytes(f), type));
                } catch (JacksonException e) {
                    LOG.error("state record {} is corrupt ({}); moved aside", f, e.getOriginalMessage());
                    Files.move(f, f.resolveSibling(name + ".corrupt"), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load state from " + dir + ": " + e.getMessage(), e);
        }
        return out;
    }

    /** Deletes a record durably; no error if it does not exist. */
    public void delete(String kind, String id) {
        Path dir = dir(kind);
        try {
            if (Files.deleteIfExists(dir.resolve(check(id) + ".json"))) {
                syncDir(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete state record " + kind + "/" + id + ": " + e.getMessage(), e);
        }
    }

    /** Makes the renames and unlinks done in {@code dir} so far durable (group commit, see the class comment). */
    private void syncDir(Path dir) throws IOException {
        dirSyncs.computeIfAbsent(dir, d -> new DirSync()).sync(dir);
    }

    /**
     * One directory's group commit: a caller takes a ticket after its change; the first caller
     * finding no fsync under way runs one for every ticket taken so far, later callers wait for it
     * or, if theirs came after it began, for the next one.
     */
    private static final class DirSync {
        private long requested;
        private long completed;
        private boolean running;

        void sync(Path dir) throws IOException {
            long target;
            synchronized (this) {
                long ticket = ++requested;
                while (true) {
                    if (completed >= ticket) {
                        return;
                    }
                    if (!running) {
                        running = true;
                        target = requested;
                        break;
                    }
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted while waiting for the fsync of " + dir, e);
                    }
                }
            }
            boolean done = false;
            try {
                fsyncDir(dir);
                done = true;
            } finally {
                synchronized (this) {
                    running = false;
                    if (done) {
                        completed = Math.max(completed, target);
                    }
                    notifyAll(); // after a failure a waiter runs the fsync itself
                }
            }
        }
    }

    private static void fsyncDir(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    private static String check(String name) {
        if (name == null || !SAFE.matcher(name).matches() || name.contains("..")) {
            throw new IllegalArgumentException("invalid state record name: " + name);
        }
        return name;
    }
}
