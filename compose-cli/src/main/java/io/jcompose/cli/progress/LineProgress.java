package io.jcompose.cli.progress;

import java.io.PrintStream;

/**
 * A display that prints each event as one line and never redraws ({@code plain}, {@code json}).
 * The lines of one {@link #on} call are written at once, so lines of parallel workers stay whole.
 */
abstract sealed class LineProgress implements Progress permits PlainProgress, JsonProgress {
    private final PrintStream out;

    LineProgress(PrintStream out) {
        this.out = out;
    }

    /**
     * Formats one event.
     *
     * @param e an event
     * @return its line, without the line break
     */
    abstract String line(ProgressEvent e);

    @Override
    public final void start(String operation) {}

    @Override
    public final void on(ProgressEvent... events) {
        StringBuilder lines = new StringBuilder();
        for (ProgressEvent e : events) {
            lines.append(line(e)).append('\n');
        }
        synchronized (out) {
            out.print(lines);
            out.flush();
        }
    }

    @Override
    public final void done(String operation, boolean success) {}
}
