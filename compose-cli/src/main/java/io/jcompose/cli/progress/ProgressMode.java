package io.jcompose.cli.progress;

import java.util.Locale;

/** {@code --progress}: how progress events are shown. */
public enum ProgressMode {
    /** A terminal on stderr gets {@link #TTY}, anything else {@link #PLAIN}. */
    AUTO,
    /** One line per object, redrawn in place with spinners and timers. */
    TTY,
    /** One plain line per event. */
    PLAIN,
    /** Nothing. */
    QUIET,
    /** One JSON object per event and line. */
    JSON;

    /**
     * Parses a value as {@code docker compose} accepts it ({@code none} is compose's alias of quiet).
     *
     * @param value the flag or {@code COMPOSE_PROGRESS} value; empty means auto
     * @return the mode
     * @throws IllegalArgumentException naming the value for anything else
     */
    public static ProgressMode parse(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "", "auto" -> AUTO;
            case "tty" -> TTY;
            case "plain" -> PLAIN;
            case "quiet", "none" -> QUIET;
            case "json" -> JSON;
            default -> throw new IllegalArgumentException("unsupported --progress value \"" + value + "\"");
        };
    }
}
