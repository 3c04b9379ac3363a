package io.jcompose.cli.command;

import io.jcompose.cli.engine.ApiEngine;
import io.jcompose.cli.progress.EventStatus;
import io.jcompose.cli.progress.Progress;
import io.jcompose.cli.progress.ProgressEvent;
import io.jcompose.runtime.api.EngineApiException;
import io.jcompose.runtime.api.client.JsonLines;
import io.jcompose.runtime.api.model.ProgressMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Reads the JSON progress stream of an image pull or push the way compose does: each line with a
 * layer id becomes a display event (its status as text, the daemon's bar as details), an in-band
 * error ends the stream as a failure. What fails reads as compose prints it: an API error with
 * the docker client's {@code Error response from daemon:} prefix, an in-band error as it is.
 */
public final class ImageStreams {
    private ImageStreams() {}

    /** A failed pull or push with the line compose prints for it, and the bare cause its Error event shows. */
    public static final class Failure extends RuntimeException {
        private final String unwrapped;

        Failure(String message, Throwable cause) {
            this(message, message, cause);
        }

        Failure(String message, String unwrapped, Throwable cause) {
            super(message, cause);
            this.unwrapped = unwrapped;
        }

        /** The message without the docker client's prefix (compose's getUnwrappedErrorMessage). */
        public String unwrapped() {
            return unwrapped;
        }
    }

    /**
     * Opens the stream and passes every line on.
     *
     * @param open starts the pull or push (may throw the API's error)
     * @param line receives each line that is not an error
     * @throws Failure with compose's message
     */
    static void follow(Callable<JsonLines<ProgressMessage>> open, Consumer<ProgressMessage> line) {
        try (JsonLines<ProgressMessage> lines = open.call()) {
            for (ProgressMessage m = lines.next(); m != null; m = lines.next()) {
                if (m.error() != null || m.errorDetail() != null) {
                    String why = m.errorDetail() != null && m.errorDetail().message() != null ? m.errorDetail().message() : m.error();
                    throw new Failure(why, null);
                }
                line.accept(m);
            }
        } catch (EngineApiException e) {
            throw new Failure(ApiEngine.DAEMON_ERROR + e.getMessage(), e.getMessage(), e);
        } catch (IOException | UncheckedIOException e) {
            throw new Failure(e.getMessage(), e);
        } catch (Failure e) {
            throw e;
        } catch (Exception e) {
            throw new Failure(e.getMessage(), e);
        }
    }

    /**
     * Runs one transfer per item on virtual threads and waits for all, as compose's errgroup
     * does; a transfer's own failures are {@code work}'s to report.
     *
     * @return the message of the first unexpected failure, or null
     */
    static <T> String inParallel(List<T> items, Consumer<T> work) {
        String first = null;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> all = new ArrayList<>();
            for (T item : items) {
                all.add(pool.submit(() -> work.accept(item)));
            }
            for (Future<?> f : all) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    first = first != null ? first : e.getCause().getMessage();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    first = first != null ? first : "interrupted";
                }
            }
        }
        return first;
    }

    /**
     * compose's toPullProgressEvent/toPushProgressEvent: a layer line (one with an id and a
     * progress detail) as a child event of {@code parent}.
     *
     * @param id the event's id ({@code <layer>} for pulls, {@code Pushing <tag>: <layer>} for pushes)
     */
    static void layerEvent(Progress progress, String parent, String id, ProgressMessage m) {
        String status = m.status() == null ? "" : m.status();
        long current = 0;
        long total = 0;
        if (m.progressDetail() != null) {
            current = m.progressDetail().current() == null ? 0 : m.progressDetail().current();
            total = m.progressDetail().total() == null ? 0 : m.progressDetail().total();
        }
        boolean done = status.startsWith("Download complete") || status.startsWith("Already exists") || status.startsWith("Pull complete")
                || status.startsWith("Pushed") || status.startsWith("Layer already exists") || status.startsWith("Mounted from")
                || status.contains("Image is up to date") || status.contains("Downloaded newer image");
        int percent = done ? 100 : total > 0 ? (int) Math.min(100, current * 100 / total) : 0;
        progress.on(new ProgressEvent(id, parent, status, m.progress() == null ? "" : m.progress(),
                done ? EventStatus.DONE : EventStatus.WORKING, current, total, percent));
    }
}
