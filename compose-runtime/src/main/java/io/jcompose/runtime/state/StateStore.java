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
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;

/**
 * One JSON record per object, under {@code <dataRoot>/state/<kind>/<id>.json}, each written
 * atomically: temp file, fsync, rename over the old one, fsync the directory. A crash leaves either
 * the old or the new record, never a torn one; leftover temp files are removed when a kind is loaded.
 */
public final class StateStore {

    private static final Logger LOG = LoggerFactory.getLogger(StateStore.class);
    private static final Pattern SAFE = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]*");
    private static final String TMP = ".tmp-";

    private final Path root;

    /** @param root usually {@code <dataRoot>/state} */
    public StateStore(Path root) {
        this.root = root;
    }

    /** The directory of one kind of object. */
    public Path dir(String kind) {
        return root.resolve(check(kind));
    }

    /** Writes (creates or replaces) a record atomically and durably. */
    public void put(String kind, String id, Object record) {
        Path dir = dir(kind);
        Path target = dir.resolve(check(id) + ".json");
        Path tmp = dir.resolve(TMP + id + "-" + Thread.currentThread().threadId());
        try {
            Files.createDirectories(dir);
            byte[] bytes = Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(record);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("the state directory " + dir + " does not support atomic renames", e);
            }
            fsyncDir(dir);
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
        try {
            return Optional.of(Json.mapper().readValue(Files.readAllBytes(file), type));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read state record " + file + ": " + e.getMessage(), e);
        } catch (JacksonException e) {
            throw new IllegalStateException("state record " + file + " is not valid: " + e.getOriginalMessage(), e);
        }
    }

    /**
     * Loads every record of a kind (at daemon start). Unreadable records are logged and moved
     * aside to {@code <id>.json.corrupt} so one bad file does not stop the daemon.
     */
    public <T> Map<String, T> loadAll(String kind, Class<T> type) {
        Path dir = dir(kind);
        Map<String, T> out = new LinkedHashMap<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
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
                    out.put(id, Json.mapper().readValue(Files.readAllBytes(f), type));
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
                fsyncDir(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete state record " + kind + "/" + id + ": " + e.getMessage(), e);
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
