package io.jcompose.runtime.api.server;

import io.jcompose.runtime.api.EngineApiException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A response of JSON lines (pull/push progress, build output) whose errors are placed as moby
 * places them: before the first line an HTTP error, after it an in-band error line with status
 * 200.
 */
final class JsonLineStream {
    private JsonLineStream() {}

    /**
     * @param action writes its lines to the sink it is given
     * @param errorLine the in-band line for an error message
     */
    static <M> ApiResponse of(Consumer<Consumer<M>> action, Function<String, M> errorLine) {
        return of((sink, onClientGone) -> action.accept(sink), errorLine);
    }

    /**
     * As above, for an action that stops early when the client hangs up: it registers what to
     * do then with the {@code Consumer<Runnable>} it is given (run at once if the client has
     * already gone).
     */
    static <M> ApiResponse of(BiConsumer<Consumer<M>, Consumer<Runnable>> action, Function<String, M> errorLine) {
        return new ApiResponse.LazyStream(200, "application/json", out -> {
            AtomicBoolean began = new AtomicBoolean();
            Consumer<M> sink = m -> {
                try {
                    began.set(true);
                    out.writeJsonLine(m);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            };
            try {
                action.accept(sink, out::onClose);
            } catch (EngineApiException e) {
                if (!began.get()) {
                    throw e;
                }
                out.writeJsonLine(errorLine.apply(e.getMessage()));
            } catch (UncheckedIOException e) {
                throw e.getCause(); // the client left
            } catch (RuntimeException e) {
                if (!began.get()) {
                    throw EngineApiException.internal(String.valueOf(e.getMessage()));
                }
                out.writeJsonLine(errorLine.apply(String.valueOf(e.getMessage())));
            }
        });
    }
}
