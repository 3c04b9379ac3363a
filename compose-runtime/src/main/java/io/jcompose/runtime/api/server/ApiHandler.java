package io.jcompose.runtime.api.server;

/** Serves one route. May block: every request runs on its own virtual thread. */
@FunctionalInterface
public interface ApiHandler {

    /**
     * Answers the request; throw {@link io.jcompose.runtime.api.EngineApiException} for Docker's
     * error statuses.
     */
    ApiResponse handle(ApiRequest request) throws Exception;
}
