package io.jcompose.cli.progress;

import java.io.PrintStream;
import java.io.StringWriter;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/**
 * {@code --progress json}: one JSON object per event and line, with compose v2's field names
 * ({@code dry-run}, {@code id}, {@code parent_id}, {@code status}, {@code text}, {@code details},
 * {@code current}, {@code total}, {@code percent}); empty and zero fields are left out as compose does.
 */
public final class JsonProgress extends LineProgress {
    private static final JsonFactory JSON = new JsonFactory();
    private final boolean dryRun;

    /**
     * Creates the display.
     *
     * @param out where the lines go
     * @param dryRun whether each object says {@code "dry-run":true}
     */
    public JsonProgress(PrintStream out, boolean dryRun) {
        super(out);
        this.dryRun = dryRun;
    }

    @Override
    String line(ProgressEvent e) {
        StringWriter text = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(ObjectWriteContext.empty(), text)) {
            g.writeStartObject();
            if (dryRun) {
                g.writeBooleanProperty("dry-run", true);
            }
            g.writeStringProperty("id", e.id());
            if (e.parentId() != null && !e.parentId().isEmpty()) {
                g.writeStringProperty("parent_id", e.parentId());
            }
            g.writeStringProperty("status", e.status().text());
            g.writeStringProperty("text", e.text());
            if (!e.details().isEmpty()) {
                g.writeStringProperty("details", e.details());
            }
            if (e.current() != 0) {
                g.writeNumberProperty("current", e.current());
            }
            if (e.total() != 0) {
                g.writeNumberProperty("total", e.total());
            }
            if (e.percent() != 0) {
                g.writeNumberProperty("percent", e.percent());
            }
            g.writeEndObject();
        }
        return text.toString();
    }
}
