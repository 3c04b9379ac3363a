package io.jcompose.cli.engine;

import io.jcompose.cli.progress.EventStatus;
import io.jcompose.cli.progress.Progress;
import io.jcompose.cli.progress.ProgressEvent;
import io.jcompose.planner.reconcile.ProgressListener;
import io.jcompose.runtime.api.model.ProgressMessage;

/**
 * Carries the reconciler's events and the engine's pull lines to the progress display, in
 * compose's words: {@code Container demo-db-1 Started}, layer lines under {@code Image busybox}.
 */
public final class ProgressBridge implements ProgressListener, ApiEngine.PullListener {
    private final Progress progress;

    /** @param progress the display the events go to */
    public ProgressBridge(Progress progress) {
        this.progress = progress;
    }

    @Override
    public void onEvent(io.jcompose.planner.reconcile.ProgressEvent e) {
        progress.on(toDisplay(e));
    }

    /** One reconciler event as a display event: id {@code "<Kind> <name>"}, the status's word as text. */
    static ProgressEvent toDisplay(io.jcompose.planner.reconcile.ProgressEvent e) {
        EventStatus status = switch (e.status()) {
            case ERROR -> EventStatus.ERROR;
            case WARNING -> EventStatus.WARNING;
            default -> e.status().done() ? EventStatus.DONE : EventStatus.WORKING;
        };
        return ProgressEvent.of(e.kind().text() + " " + e.name(), status, e.status().text()).withDetails(e.message());
    }

    /** A pull line with a layer id becomes a child line of its image (a bar on a terminal). */
    @Override
    public void progress(String reference, ProgressMessage m) {
        if (m.id() == null || m.id().isEmpty() || m.status() == null || m.id().equals(reference)
                || m.status().startsWith("Pulling from")) {
            return; // the image's own lines: the reconciler reports Pulling/Pulled for it
        }
        long current = 0;
        long total = 0;
        if (m.progressDetail() != null) {
            current = m.progressDetail().current() == null ? 0 : m.progressDetail().current();
            total = m.progressDetail().total() == null ? 0 : m.progressDetail().total();
        }
        boolean done = m.status().startsWith("Pull complete") || m.status().startsWith("Already exists");
        int percent = total > 0 ? (int) Math.min(100, current * 100 / total) : 0;
        progress.on(new ProgressEvent(m.id(), "Image " + reference, m.status(), "",
                done ? EventStatus.DONE : EventStatus.WORKING, current, total, percent));
    }
}
