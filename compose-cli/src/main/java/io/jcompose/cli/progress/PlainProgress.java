package io.jcompose.cli.progress;

import java.io.PrintStream;

/**
 * {@code --progress plain}: one line per event, as compose v2 prints it — the operands
 * (dry-run prefix, id, text, details) joined by single spaces, so a line starts with a space and
 * an event without details ends with one ({@code " Container app-db-1 Started "}).
 */
public final class PlainProgress implements Progress {
    private final PrintStream out;
    private final String prefix;

    /**
     * Creates the display.
     *
     * @param out where the lines go
     * @param dryRun whether to start each line with compose's dry-run marker
     */
    public PlainProgress(PrintStream out, boolean dryRun) {
        this.out = out;
        this.prefix = dryRun ? TtyProgress.DRY_RUN_PREFIX : "";
    }

    @Override
    public void start(String operation) {}

    @Override
    public void on(ProgressEvent... events) {
        StringBuilder lines = new StringBuilder();
        for (ProgressEvent e : events) {
            lines.append(prefix).append(' ').append(e.id()).append(' ').append(e.text()).append(' ')
                    .append(e.details()).append('\n');
        }
        synchronized (out) { // one write per call keeps lines of parallel workers whole
            out.print(lines);
            out.flush();
        }
    }

    @Override
    public void done(String operation, boolean success) {}
}
