package io.jcompose.cli.progress;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The terminal display of compose v2: a {@code [+] up 2/3} header, then one line per object
 * with a spinner (or {@code ✔ ! ✘} once finished), the object, its state aligned in a column and
 * its elapsed time at the right edge, redrawn in place every 100 ms with ANSI cursor moves.
 * Layer events of a pull ({@code parentId} set) become a progress bar on their image's line.
 * Thread-safe: events may come from any thread.
 */
public final class TtyProgress implements Progress {
    /** Compose's marker for {@code --dry-run}. */
    static final String DRY_RUN_PREFIX = " DRY-RUN MODE - ";
    private static final String[] SPINNER = {"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"};
    private static final String[] PERCENT = {"⠀", "⡀", "⣀", "⣄", "⣤", "⣦", "⣶", "⣷", "⣿"};
    private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final int MIN_ID_LENGTH = 10;

    private final PrintStream out;
    private final Ansi ansi;
    private final boolean dryRun;
    private final boolean detached;
    private final LongSupplier clock;
    private final Supplier<int[]> terminalSize;
    private final boolean tick;
    private final Map<String, Task> tasks = new LinkedHashMap<>(); // in order of first event
    private String operation;
    private int linesDrawn = -1; // lines below the header of the last frame; -1 before the first
    private Thread ticker;
    private volatile int[] lastSize; // measured by the ticker, outside the lock (the first look is slow)

    TtyProgress(PrintStream out, boolean colour, boolean dryRun, boolean detached, LongSupplier clock,
            Supplier<int[]> terminalSize, boolean tick) {
        this.out = out;
        this.ansi = new Ansi(colour);
        this.dryRun = dryRun;
        this.detached = detached;
        this.clock = clock;
        this.terminalSize = terminalSize;
        this.tick = tick;
    }

    /**
     * The display for the terminal on stderr, redrawn by a daemon thread while an operation runs.
     *
     * @param out the stream of that terminal
     * @param colour whether colours may be used
     * @param dryRun whether lines carry the dry-run marker
     * @param detached whether {@code Starting}/{@code Started} are shown (hidden when logs follow)
     * @param terminalSize the terminal's {@code {columns, rows}} ({@link Terminal#size()} for this process's)
     * @return the display
     */
    public static TtyProgress onTerminal(PrintStream out, boolean colour, boolean dryRun, boolean detached,
            java.util.function.Supplier<int[]> terminalSize) {
        return new TtyProgress(out, colour, dryRun, detached, System::nanoTime, terminalSize, true);
    }

    @Override
    public synchronized void start(String operation) {
        this.operation = operation;
        if (tick && ticker == null) {
            ticker = Thread.ofPlatform().daemon().name("jcompose-progress").start(this::tickUntilDone);
        }
    }

    private void tickUntilDone() {
        try {
            while (true) {
                lastSize = terminalSize.get();
                TimeUnit.NANOSECONDS.sleep(TICK_NANOS);
                synchronized (this) {
                    if (operation == null) {
                        return;
                    }
                    draw();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized void on(ProgressEvent... events) {
        for (ProgressEvent e : events) {
            if (e.id().equals(ProgressEvent.PROJECT_ID)) {
                out.println(ansi.error(e.details()));
                continue;
            }
            boolean startEvent = e.text().equals("Started") || e.text().equals("Starting");
            if (startEvent && !"start".equals(operation) && !detached) {
                continue; // logs of attached containers follow; compose keeps them apart
            }
            Task task = tasks.get(e.id());
            if (task == null) {
                tasks.put(e.id(), new Task(e, clock.getAsLong()));
            } else {
                task.update(e, clock.getAsLong());
            }
            if (operation == null) { // outside an operation: one line per event, no redrawing
                out.println(e.id() + " " + ansi.status(e.status(), e.text()) + " " + e.details());
            }
        }
        out.flush();
    }

    @Override
    public void done(String operation, boolean success) {
        Thread t;
        synchronized (this) {
            draw();
            this.operation = null;
            t = ticker;
            ticker = null;
        }
        if (t != null) {
            t.interrupt();
        }
    }

    /** Draws one frame over the previous one. Package-private so tests can draw frames at will. */
    synchronized void draw() {
        if (tasks.isEmpty()) {
            return;
        }
        int[] size = tick && lastSize != null ? lastSize : terminalSize.get();
        int width = size[0] > 0 ? size[0] : Terminal.DEFAULT_WIDTH;
        int height = size[1] > 0 ? size[1] : Terminal.DEFAULT_HEIGHT;
        long now = clock.getAsLong();
        StringBuilder frame = new StringBuilder(Ansi.HIDE_CURSOR);
        if (linesDrawn >= 0) {
            frame.append(Ansi.up(linesDrawn + 1));
        }
        frame.append('\r');
        int done = (int) tasks.values().stream().filter(t -> t.status.finished()).count();
        frame.append("[+] ").append(operation == null ? "" : operation).append(' ')
                .append(done).append('/').append(tasks.size()).append('\n');

        List<Task> parents = tasks.values().stream().filter(t -> t.parents.isEmpty()).toList();
        int maxLines = Math.max(height - 2, 1);
        boolean showMore = parents.size() > maxLines;
        List<Task> shown = showMore ? parents.subList(0, maxLines - 1) : parents;

        List<Line> lines = new ArrayList<>();
        int timerLength = 0;
        for (Task t : shown) {
            Line l = line(t, now);
            lines.add(l);
            timerLength = Math.max(timerLength, l.timer.length());
        }
        for (Line l : lines) {
            l.timer = " ".repeat(timerLength - l.timer.length()) + l.timer;
        }
        fitWidth(lines, timerLength, width);
        pad(lines, timerLength, width);

        int drawn = 0;
        for (Line l : lines) {
            l.appendTo(frame, ansi);
            drawn++;
        }
        if (showMore) {
            String more = " ... " + (parents.size() - shown.size()) + " more";
            frame.append(more).append(" ".repeat(Math.max(width - more.length(), 0))).append('\n');
            drawn++;
        }
        for (int i = drawn; i < linesDrawn; i++) { // blank what a longer previous frame left
            frame.append(" ".repeat(width)).append('\n');
            drawn++;
        }
        linesDrawn = drawn;
        frame.append(Ansi.SHOW_CURSOR);
        out.print(frame);
        out.flush();
    }

    private Line line(Task t, long now) {
        long end = !t.status.finished() ? now : (t.endNanos != 0 ? t.endNanos : t.startNanos);
        double seconds = (end - t.startNanos) / 1e9;
        Line l = new Line();
        l.status = t.status;
        l.spinner = t.symbol(now);
        l.prefix = dryRun ? DRY_RUN_PREFIX : "";
        l.id = t.id;
        l.text = t.text;
        l.details = t.details;
        l.timer = String.format(Locale.ROOT, "%.1fs", seconds);
        if (!t.status.finished()) { // a pull: one braille cell per layer, and bytes once all are known
            StringBuilder cells = new StringBuilder();
            long current = 0;
            long total = 0;
            boolean sizesKnown = true;
            for (Task child : tasks.values()) {
                if (child.parents.contains(t.id)) {
                    if (!child.status.finished() && child.total == 0) {
                        sizesKnown = false;
                    }
                    current += child.current;
                    total += child.total;
                    cells.append(PERCENT[(PERCENT.length - 1) * Math.min(child.percent, 100) / 100]);
                }
            }
            if (!cells.isEmpty()) {
                l.cells = cells.toString();
                if (sizesKnown && total > 0) {
                    l.sizes = String.format(Locale.ROOT, " %7s / %-7s", humanSize(current), humanSize(total));
                }
            }
        }
        return l;
    }

    /** Shortens details, then byte counts, then the longest id, until every line fits. */
    private static void fitWidth(List<Line> lines, int timerLength, int width) {
        int maxStatus = lines.stream().mapToInt(l -> length(l.text)).max().orElse(0);
        for (int round = 0; round < 100; round++) {
            int beforeStatus = lines.stream().mapToInt(Line::beforeStatus).max().orElse(0);
            int overflow = 0;
            for (Line l : lines) {
                int details = l.details.isEmpty() ? 0 : length(l.details) + 1;
                overflow = Math.max(overflow, beforeStatus + 1 + maxStatus + details + 1 + timerLength - width);
            }
            if (overflow <= 0 || !(truncateDetails(lines, overflow) || dropSizes(lines)
                    || truncateLongestId(lines, overflow))) {
                return;
            }
        }
    }

    private static boolean truncateDetails(List<Line> lines, int overflow) {
        for (Line l : lines) {
            int n = length(l.details);
            if (n > 3) {
                int keep = n - Math.min(overflow, n - 3) - 3;
                l.details = l.details.substring(0, l.details.offsetByCodePoints(0, keep)) + "...";
                return true;
            } else if (n > 0) {
                l.details = "";
                return true;
            }
        }
        return false;
    }

    private static boolean dropSizes(List<Line> lines) {
        Line widest = null;
        for (Line l : lines) {
            if (!l.sizes.isEmpty() && (widest == null || l.beforeStatus() > widest.beforeStatus())) {
                widest = l;
            }
        }
        if (widest == null) {
            return false;
        }
        widest.sizes = "";
        return true;
    }

    private static boolean truncateLongestId(List<Line> lines, int overflow) {
        Line longest = null;
        int longestLength = MIN_ID_LENGTH;
        for (Line l : lines) {
            if (length(l.id) > longestLength) {
                longestLength = length(l.id);
                longest = l;
            }
        }
        if (longest == null) {
            return false;
        }
        int keep = Math.max(longestLength - (overflow + 3), MIN_ID_LENGTH - 3);
        longest.id = longest.id.substring(0, longest.id.offsetByCodePoints(0, keep)) + "...";
        return true;
    }

    /** Aligns the states in one column and the timers at the right edge. */
    private static void pad(List<Line> lines, int timerLength, int width) {
        int maxBefore = lines.stream().mapToInt(Line::beforeStatus).max().orElse(0);
        for (Line l : lines) {
            l.statusPad = maxBefore - l.beforeStatus();
            int length = maxBefore + 1 + length(l.text) + (l.details.isEmpty() ? 0 : 1 + length(l.details));
            l.timerPad = Math.max(width - length - timerLength, 1);
        }
    }

    private static int length(String s) {
        return s.codePointCount(0, s.length());
    }

    /** Bytes as Docker's {@code units.HumanSize}: 4 significant digits, decimal units ({@code 12.35MB}). */
    public static String humanSize(double bytes) {
        String[] units = {"B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"};
        int i = 0;
        while (bytes >= 1000 && i < units.length - 1) {
            bytes /= 1000;
            i++;
        }
        return new BigDecimal(bytes).round(new MathContext(4)).stripTrailingZeros().toPlainString() + units[i];
    }

    /** What one object shows, as of its last event. */
    private static final class Task {
        final String id;
        final String parent; // the only parent whose updates count (layers shared by images)
        final Set<String> parents = new LinkedHashSet<>();
        final long startNanos;
        long endNanos;
        EventStatus status;
        String text;
        String details;
        long current;
        long total;
        int percent;
        int spinnerIndex;

        Task(ProgressEvent e, long now) {
            id = e.id();
            parent = e.parentId();
            if (parent != null) {
                parents.add(parent);
            }
            startNanos = now;
            status = e.status();
            text = e.text();
            details = e.details();
            current = e.current();
            total = e.total();
            percent = e.percent();
            if (status == EventStatus.DONE || status == EventStatus.ERROR) {
                endNanos = now;
            }
        }

        void update(ProgressEvent e, long now) {
            if (e.parentId() != null) {
                parents.add(e.parentId());
                if (!e.parentId().equals(parent)) {
                    return;
                }
            }
            if (e.status().finished() && status != e.status()) {
                endNanos = now;
            }
            status = e.status();
            text = e.text();
            details = e.details();
            total = Math.max(total, e.total());
            current = Math.max(current, e.current());
            percent = Math.max(percent, e.percent());
        }

        /** The spinner turns one step per frame once the task is older than a tick, as compose's does. */
        String symbol(long now) {
            return switch (status) {
                case DONE -> "✔";
                case WARNING -> "!";
                case ERROR -> "✘";
                case WORKING -> {
                    if (now - startNanos > TICK_NANOS) {
                        spinnerIndex = (spinnerIndex + 1) % SPINNER.length;
                    }
                    yield SPINNER[spinnerIndex];
                }
            };
        }
    }

    /** One line of a frame, measured and padded before it is coloured. */
    private static final class Line {
        EventStatus status;
        String spinner;
        String prefix;
        String id;
        String cells = "";
        String sizes = "";
        String text;
        String details;
        String timer;
        int statusPad;
        int timerPad;

        /** Width up to the state column: space, spinner, prefix, space, id, progress bar. */
        int beforeStatus() {
            int bar = cells.isEmpty() ? 0 : length(cells) + 3 + length(sizes);
            return 3 + length(prefix) + length(id) + bar;
        }

        void appendTo(StringBuilder b, Ansi ansi) {
            b.append(' ').append(ansi.symbol(status, spinner)).append(ansi.prefix(prefix)).append(' ').append(id);
            if (!cells.isEmpty()) {
                b.append(" [").append(ansi.success(cells)).append(']').append(sizes);
            }
            b.append(" ".repeat(statusPad)).append(' ').append(ansi.status(status, text));
            if (!details.isEmpty()) {
                b.append(' ').append(details);
            }
            b.append(" ".repeat(timerPad)).append(ansi.timer(timer)).append('\n');
        }
    }
}
