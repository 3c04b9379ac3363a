package io.jcompose.cli.progress;

import java.io.PrintStream;

/**
 * Shows the progress of one compose operation ({@code up}, {@code down}...) from events about
 * its objects. Implementations are thread-safe: parallel workers call {@link #on} at will.
 * Use: {@code start("up")}, any number of {@code on(...)}, then {@code done("up", ok)}.
 */
public interface Progress {
    /**
     * An operation begins; a terminal display starts redrawing.
     *
     * @param operation the compose operation's name: {@code up}, {@code down}, {@code pull}...
     */
    void start(String operation);

    /**
     * Objects changed state.
     *
     * @param events the changes, in the order they happened
     */
    void on(ProgressEvent... events);

    /**
     * The operation ended: the final state is drawn and any redrawing stops.
     *
     * @param operation the name given to {@link #start}
     * @param success whether it succeeded
     */
    void done(String operation, boolean success);

    /**
     * The display for a mode that has been decided ({@link ProgressMode#AUTO} must be resolved first).
     *
     * @param mode tty, plain, json or quiet
     * @param out where to draw (compose draws on stderr)
     * @param colour whether ANSI colours may be used (tty mode only)
     * @param dryRun whether to mark every line as a dry run
     * @param detached whether containers' logs will not follow (tty mode then shows Started events)
     * @param terminalSize the terminal's {@code {columns, rows}} (tty mode only)
     * @return the display
     */
    static Progress open(ProgressMode mode, PrintStream out, boolean colour, boolean dryRun, boolean detached,
            java.util.function.Supplier<int[]> terminalSize) {
        return switch (mode) {
            case TTY -> TtyProgress.onTerminal(out, colour, dryRun, detached, terminalSize);
            case PLAIN -> new PlainProgress(out, dryRun);
            case JSON -> new JsonProgress(out, dryRun);
            case QUIET -> new QuietProgress();
            case AUTO -> throw new IllegalArgumentException("resolve the auto progress mode first");
        };
    }
}
