package io.jcompose.runtime.container;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads the json-file log the shim writes, rotated files included (oldest first). */
public final class JsonFileLogs {
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final long FOLLOW_POLL_MS = 50;

    private JsonFileLogs() {}

    /** One line of the file as a record; null if it is not a complete record (a write in progress). */
    static LogRecord parse(String line) {
        if (line.isEmpty()) return null;
        try {
            JsonNode n = JSON.readTree(line);
            JsonNode log = n.get("log"), stream = n.get("stream"), time = n.get("time");
            if (stream == null || time == null) return null;
            return new LogRecord(stream.asString(), log == null ? "" : log.asString(), LogTimes.parse(time.asString()));
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The log files of one container, oldest first: {@code log.N … log.1, log}. */
    static List<Path> files(Path log) {
        List<Path> out = new ArrayList<>();
        for (int i = 1; ; i++) {
            Path p = log.resolveSibling(log.getFileName() + "." + i);
            if (!Files.exists(p)) break;
            out.addFirst(p);
        }
        if (Files.exists(log)) out.add(log);
        return out;
    }

    /**
     * Sends the selected records to {@code sink} (which returns false to stop). With
     * {@code follow}, keeps reading what is appended while {@code running} says so, then drains.
     */
    public static void read(Path log, LogQuery q, BooleanSupplier running, Predicate<LogRecord> sink) throws IOException {
        Deque<LogRecord> tail = q.tail() != null && q.tail() >= 0 ? new ArrayDeque<>() : null;
        if (tail != null && q.tail() == 0 && !q.follow()) return;
        long pos = 0;
        for (Path f : files(log)) {
            boolean current = f.equals(log);
            try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "r")) {
                long end = raf.length();
                byte[] all = new byte[(int) end];
                raf.readFully(all);
                int start = 0;
                for (int i = 0; i < all.length; i++) {
                    if (all[i] != '\n') continue;
                    LogRecord r = parse(new String(all, start, i - start, StandardCharsets.UTF_8));
                    start = i + 1;
                    if (r == null || !q.accepts(r)) continue;
                    if (tail != null) {
                        tail.addLast(r);
                        if (tail.size() > q.tail()) tail.removeFirst();
                    } else if (!sink.test(r)) {
                        return;
                    }
                }
                if (current) pos = start;
            }
        }
        if (tail != null) for (LogRecord r : tail) if (!sink.test(r)) return;
        if (q.follow()) follow(log, pos, q, running, sink);
    }

    private static void follow(Path log, long pos, LogQuery q, BooleanSupplier running, Predicate<LogRecord> sink) throws IOException {
        StringBuilder partial = new StringBuilder();
        boolean last = false;
        while (true) {
            boolean alive = running.getAsBoolean();
            long size = Files.exists(log) ? Files.size(log) : 0;
            if (size < pos) {
                pos = 0; // rotated: the current file is new
                partial.setLength(0);
            }
            if (size > pos) {
                try (RandomAccessFile raf = new RandomAccessFile(log.toFile(), "r")) {
                    raf.seek(pos);
                    byte[] buf = new byte[(int) Math.min(size - pos, 1 << 20)];
                    raf.readFully(buf);
                    pos += buf.length;
                    int start = 0;
                    for (int i = 0; i < buf.length; i++) {
                        if (buf[i] != '\n') continue;
                        partial.append(new String(buf, start, i - start, StandardCharsets.UTF_8));
                        LogRecord r = parse(partial.toString());
                        partial.setLength(0);
                        start = i + 1;
                        if (r == null || !q.accepts(r)) continue;
                        if (q.until() != null && r.time().isAfter(q.until())) return;
                        if (!sink.test(r)) return;
                    }
                    partial.append(new String(buf, start, buf.length - start, StandardCharsets.UTF_8));
                }
                continue;
            }
            if (last) return;
            if (!alive) last = true; // one more pass: the shim writes the final records before the exit file
            else sleep();
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(FOLLOW_POLL_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while following logs", e);
        }
    }
}
