package io.jcompose.cli.progress;

/** Where the task of a {@link ProgressEvent} stands; decides spinner, colour and the done count. */
public enum EventStatus {
    /** Still going: a spinner and a running timer. */
    WORKING("Working"),
    /** Finished well: {@code ✔} in green. */
    DONE("Done"),
    /** Finished with something to note: {@code !} in yellow. */
    WARNING("Warning"),
    /** Failed: {@code ✘} in red. */
    ERROR("Error");

    private final String text;

    EventStatus(String text) {
        this.text = text;
    }

    /**
     * The word {@code --progress json} prints in its {@code status} field.
     *
     * @return {@code Working}, {@code Done}, {@code Warning} or {@code Error}
     */
    public String text() {
        return text;
    }

    /**
     * Whether the task is over.
     *
     * @return true unless {@link #WORKING}
     */
    public boolean finished() {
        return this != WORKING;
    }
}
