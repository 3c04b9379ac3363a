package io.jcompose.cli.progress;

/** Compose's colours for the progress display (SGR codes), or none when colour is off. */
final class Ansi {
    static final String HIDE_CURSOR = "\u001b[?25l";
    static final String SHOW_CURSOR = "\u001b[?25h";
    private static final String RESET = "\u001b[0m";
    private static final String GREEN = "\u001b[32m";
    private static final String YELLOW = "\u001b[33m";
    private static final String BLUE = "\u001b[34m";
    private static final String CYAN = "\u001b[36m";
    private static final String YELLOW_BOLD = "\u001b[33;1m";
    private static final String RED_BOLD = "\u001b[31;1m";

    private final boolean colour;

    Ansi(boolean colour) {
        this.colour = colour;
    }

    static String up(int lines) {
        return "\u001b[" + lines + "A";
    }

    String status(EventStatus status, String text) {
        return switch (status) {
            case WORKING -> text;
            case DONE -> success(text);
            case WARNING -> paint(YELLOW_BOLD, text);
            case ERROR -> error(text);
        };
    }

    /** The spinner is yellow; the finished marks take their state's colour. */
    String symbol(EventStatus status, String symbol) {
        return status == EventStatus.WORKING ? paint(YELLOW, symbol) : status(status, symbol);
    }

    String success(String text) {
        return paint(GREEN, text);
    }

    String error(String text) {
        return paint(RED_BOLD, text);
    }

    String timer(String text) {
        return paint(BLUE, text);
    }

    String prefix(String text) {
        return text.isEmpty() ? text : paint(CYAN, text);
    }

    private String paint(String code, String text) {
        return colour ? code + text + RESET : text;
    }
}
