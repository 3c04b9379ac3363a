package io.jcompose.cli;

import java.io.StringWriter;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/** The error line of {@code --progress json}: {@code {"error":true,"message":"..."}} as compose prints it. */
final class ErrorLine {
    private static final JsonFactory JSON = new JsonFactory();

    private ErrorLine() {}

    static String json(String message) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(ObjectWriteContext.empty(), out)) {
            g.writeStartObject();
            g.writeBooleanProperty("error", true);
            g.writeStringProperty("message", message);
            g.writeEndObject();
        }
        return out.toString();
    }
}
