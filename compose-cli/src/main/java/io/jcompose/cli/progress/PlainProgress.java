package io.jcompose.cli.progress;

import java.io.PrintStream;

/**
 * {@code --progress plain}: one line per event, as compose v2 prints it — the operands
 * (dry-run prefix, id, text, details) joined by single spaces, so a line starts with a space and
 * an event without details ends with one ({@code " Container app-db-1 Started "}).
 */
public final class PlainProgress extends LineProgress {
    private final String prefix;

    /**
     * Creates the display.
     *
     * @param out where the lines go
     * @param dryRun whether to start each line with compose's dry-run marker
     */
    public PlainProgress(PrintStream out, boolean dryRun) {
        super(out);
        this.prefix = dryRun ? TtyProgress.DRY_RUN_PREFIX : "";
    }

    @Override
    String line(ProgressEvent e) {
        return prefix + ' ' + e.id() + ' ' + e.text() + ' ' + e.details();
    }
}
