package io.jcompose.cli;

import java.util.Locale;

/** {@code --ansi}: whether jcompose may print ANSI control characters (colours, cursor moves). */
public enum AnsiMode {
    /** Never print control characters. */
    NEVER,
    /** Always print them, also when stderr is not a terminal. */
    ALWAYS,
    /** Print them only when stderr is a terminal (the default). */
    AUTO;

    /**
     * Parses a value as {@code docker compose} accepts it.
     *
     * @param value {@code never}, {@code always} or {@code auto}
     * @return the mode
     * @throws UsageException for any other value
     */
    public static AnsiMode parse(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "never" -> NEVER;
            case "always" -> ALWAYS;
            case "auto" -> AUTO;
            default -> throw new UsageException(
                    "invalid --ansi value \"" + value + "\": use never, always or auto");
        };
    }
}
