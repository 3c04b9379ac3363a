package io.jcompose.runtime.container;

import java.util.Locale;
import java.util.Map;

/** Linux signal names and numbers (x86_64/arm64 numbering), as Docker accepts them. */
public final class Signals {
    public static final int SIGKILL = 9;
    public static final int SIGTERM = 15;

    private static final Map<String, Integer> BY_NAME = Map.ofEntries(
            Map.entry("HUP", 1), Map.entry("INT", 2), Map.entry("QUIT", 3), Map.entry("ILL", 4), Map.entry("TRAP", 5),
            Map.entry("ABRT", 6), Map.entry("IOT", 6), Map.entry("BUS", 7), Map.entry("FPE", 8), Map.entry("KILL", 9),
            Map.entry("USR1", 10), Map.entry("SEGV", 11), Map.entry("USR2", 12), Map.entry("PIPE", 13),
            Map.entry("ALRM", 14), Map.entry("TERM", 15), Map.entry("STKFLT", 16), Map.entry("CHLD", 17),
            Map.entry("CONT", 18), Map.entry("STOP", 19), Map.entry("TSTP", 20), Map.entry("TTIN", 21),
            Map.entry("TTOU", 22), Map.entry("URG", 23), Map.entry("XCPU", 24), Map.entry("XFSZ", 25),
            Map.entry("VTALRM", 26), Map.entry("PROF", 27), Map.entry("WINCH", 28), Map.entry("IO", 29),
            Map.entry("POLL", 29), Map.entry("PWR", 30), Map.entry("SYS", 31));

    private Signals() {}

    /**
     * {@code SIGTERM}, {@code TERM}, {@code term}, {@code 15}, or {@code RTMIN+3}.
     *
     * @throws IllegalArgumentException {@code Invalid signal: X} as Docker words it
     */
    public static int parse(String s) {
        if (s == null || s.isBlank()) throw new IllegalArgumentException("Invalid signal: " + s);
        String u = s.trim().toUpperCase(Locale.ROOT);
        if (u.chars().allMatch(Character::isDigit)) {
            int n = Integer.parseInt(u);
            if (n < 1 || n > 64) throw new IllegalArgumentException("Invalid signal: " + s);
            return n;
        }
        if (u.startsWith("SIG")) u = u.substring(3);
        Integer n = BY_NAME.get(u);
        if (n != null) return n;
        if (u.startsWith("RTMIN")) return rt(34, u.substring(5), s);
        if (u.startsWith("RTMAX")) return rt(64, u.substring(5), s);
        throw new IllegalArgumentException("Invalid signal: " + s);
    }

    private static int rt(int base, String rest, String original) {
        try {
            int n = rest.isEmpty() ? base : base + Integer.parseInt(rest.replace("+", ""));
            if (n >= 34 && n <= 64) return n;
        } catch (NumberFormatException ignored) {
            // falls through to the error
        }
        throw new IllegalArgumentException("Invalid signal: " + original);
    }
}
