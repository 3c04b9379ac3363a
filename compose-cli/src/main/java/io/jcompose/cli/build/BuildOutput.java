package io.jcompose.cli.build;

import io.jcompose.cli.progress.TtyProgress;
import io.jcompose.runtime.api.model.BuildMessage;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Shows a {@code POST /build} stream as compose v2 shows the classic builder's
 * ({@code jsonmessage.DisplayJSONMessagesStream} on stdout, not a terminal): the builder's text
 * as it comes ({@code Step 2/6 : RUN ...}, {@code  ---> Using cache}), pull statuses as
 * {@code <id>: <status>} without their byte-count repeats; the image id of the {@code aux} line
 * is kept; an error line ends the build with a {@link BuildFailure}. Quiet output shows nothing.
 */
public final class BuildOutput {
    private final PrintWriter out;
    private final boolean quiet;
    private String imageId;

    /**
     * @param out where the builder's text goes (stdout)
     * @param quiet show nothing ({@code -q})
     */
    public BuildOutput(PrintWriter out, boolean quiet) {
        this.out = out;
        this.quiet = quiet;
    }

    /**
     * The line the docker CLI prints before the upload ({@code Sending build context to Docker daemon  2.048kB}).
     *
     * @param bytes the context tar's size
     */
    public void sendingContext(long bytes) {
        show(String.format(Locale.ROOT, "Sending build context to Docker daemon  %8s%n", TtyProgress.humanSize(bytes)));
    }

    /**
     * One line of the builder's stream.
     *
     * @param m the line
     * @throws BuildFailure when the line reports the build's failure
     */
    public void accept(BuildMessage m) {
        String failure = m.failure();
        if (failure != null) {
            int code = m.errorDetail() != null && m.errorDetail().code() != null && m.errorDetail().code() != 0 ? m.errorDetail().code() : 1;
            throw new BuildFailure(failure.strip(), code);
        }
        if (m.imageId() != null) {
            imageId = m.imageId();
        }
        if (m.stream() != null) {
            show(m.stream());
        } else if (m.status() != null && (m.progressDetail() == null || m.progressDetail().current() == null)) {
            show((m.id() == null || m.id().isEmpty() ? "" : m.id() + ": ") + m.status() + "\n");
        }
    }

    /** The built image's id ({@code sha256:...}) from the stream, or null if it named none. */
    public String imageId() {
        return imageId;
    }

    private void show(String text) {
        if (!quiet) {
            out.print(text);
            out.flush();
        }
    }
}
