package io.jcompose.cli.progress;

import java.util.Objects;

/**
 * One change of one object's state, as compose reports it: {@code Container devstack-db-1}
 * {@code Healthy}. Factories exist for the states {@code up}/{@code down} go through.
 *
 * @param id the object, {@code <Kind> <name>}: {@code Container devstack-db-1}, {@code Network devstack_default}
 * @param parentId the object this is a part of (a layer of an image), or {@code null}
 * @param text the state word: {@code Creating}, {@code Started}, {@code Error}...
 * @param details more about it (an error message, a reason), or {@code ""}
 * @param status working, done, warning or error
 * @param current bytes done so far (pulls), or 0
 * @param total bytes in all (pulls), or 0
 * @param percent 0..100 (pulls), or 0
 */
public record ProgressEvent(
        String id, String parentId, String text, String details, EventStatus status, long current, long total,
        int percent) {

    /** The id compose uses for messages about the whole project; they print as a line of their own. */
    public static final String PROJECT_ID = "Compose";

    /** Checks the fields; {@code details} may be given as null for none. */
    public ProgressEvent {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(status, "status");
        details = details == null ? "" : details;
    }

    /**
     * An event without details or byte counts.
     *
     * @param id the object
     * @param status working, done, warning or error
     * @param text the state word
     * @return the event
     */
    public static ProgressEvent of(String id, EventStatus status, String text) {
        return new ProgressEvent(id, null, text, "", status, 0, 0, 0);
    }

    /**
     * The same event with details.
     *
     * @param details the details text
     * @return a copy with those details
     */
    public ProgressEvent withDetails(String details) {
        return new ProgressEvent(id, parentId, text, details, status, current, total, percent);
    }

    /**
     * {@code Creating}, working.
     *
     * @param id the object
     * @return the event
     */
    public static ProgressEvent creating(String id) {
        return of(id, EventStatus.WORKING, "Creating");
    }

    /**
     * {@code Created}, done.
     *
     * @param id the object
     * @return the event
     */
    public static ProgressEvent created(String id) {
        return of(id, EventStatus.DONE, "Created");
    }

    /**
     * {@code Recreate}, working.
     *
     * @param id the object
     * @return the event
     */
    public static ProgressEvent recreating(String id) {
        return of(id, EventStatus.WORKING, "Recreate");
    }

    /**
     * {@code Recreated}, done.
     *
     * @param id the object
     * @return the event
     */
    public static ProgressEvent recreated(String id) {
        return of(id, EventStatus.DONE, "Recreated");
    }

    /**
     * {@code Starting}, working.
     *
     * @param id the object
     * @return the event
     */
    public static ProgressEvent starting(String id) {
        return of(id, EventStatus.WORKING, "Starting");
    }

    /**
     * {@code Started}, done.
     *
     * @param id the object
     * @return the event
     */
    public static ProgressEvent started(String id) {
        return of(id, EventStatus.DONE, "Started");
    }

    /**
     * {@code Running}, done (kept as it was).
     *
     * @param id the object
     * @return the event
     */
    public static ProgressEvent running(String id) {
        return of(id, EventStatus.DONE, "Running");
    }

    /**
     * {@code Waiting}, working (for a dependency's condition).
     *
     * @param id the object
     * @return the event
     */
    public static ProgressEvent waiting(String id) {
        return of(id, EventStatus.WORKING, "Waiting");
    }

    /**
     * {@code Healthy}, done.
     *
     * @param id the object
     * @return the event
     */
    public static ProgressEvent healthy(String id) {
        return of(id, EventStatus.DONE, "Healthy");
    }

    /**
     * {@code Exited}, done.
     *
     * @param id the object
     * @return the event
     */
    public static ProgressEvent exited(String id) {
        return of(id, EventStatus.DONE, "Exited");
    }

    /**
     * {@code Stopping}, working.
     *
     * @param id the object
     * @return the event
     */
    public static ProgressEvent stopping(String id) {
        return of(id, EventStatus.WORKING, "Stopping");
    }

    /**
     * {@code Stopped}, done.
     *
     * @param id the object
     * @return the event
     */
    public static ProgressEvent stopped(String id) {
        return of(id, EventStatus.DONE, "Stopped");
    }

    /**
     * {@code Removing}, working.
     *
     * @param id the object
     * @return the event
     */
    public static ProgressEvent removing(String id) {
        return of(id, EventStatus.WORKING, "Removing");
    }

    /**
     * {@code Removed}, done.
     *
     * @param id the object
     * @return the event
     */
    public static ProgressEvent removed(String id) {
        return of(id, EventStatus.DONE, "Removed");
    }

    /**
     * A failure of one object.
     *
     * @param id the object
     * @param message what went wrong
     * @return {@code Error}, error, with the message as details
     */
    public static ProgressEvent error(String id, String message) {
        return of(id, EventStatus.ERROR, "Error").withDetails(message);
    }

    /**
     * A step left out, e.g. a {@code required: false} dependency that is missing.
     *
     * @param id the object
     * @param reason why
     * @return {@code Skipped: <reason>}, warning
     */
    public static ProgressEvent skipped(String id, String reason) {
        return of(id, EventStatus.WARNING, "Skipped: " + reason);
    }
}
