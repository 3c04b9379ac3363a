package io.jcompose.runtime.supervise;

import com.fasterxml.jackson.annotation.JsonValue;
import io.jcompose.runtime.api.model.ContainerState;
import java.util.List;
import java.util.Locale;

/**
 * {@code State.Health} of a container: the status, the current failing streak and the last
 * {@value #MAX_LOG} probe results, oldest first.
 */
public record Health(Status status, int failingStreak, List<HealthResult> log) {

    /** How many probe results Docker keeps. */
    public static final int MAX_LOG = 5;

    /** Docker's health states ({@code none} is what the API shows without a healthcheck). */
    public enum Status {
        NONE, STARTING, HEALTHY, UNHEALTHY;

        /** Lower case, as the API and {@code docker ps} show it. */
        @JsonValue
        public String dockerName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The container event's action: {@code health_status: healthy}. */
        public String eventAction() {
            return "health_status: " + dockerName();
        }
    }

    public Health {
        log = log == null ? List.of() : List.copyOf(log);
    }

    /** A container that was never probed. */
    public static final Health NEW = new Health(Status.STARTING, 0, List.of());

    /** The inspect form. */
    public ContainerState.Health toApi() {
        return new ContainerState.Health(status.dockerName(), failingStreak, log.stream().map(HealthResult::toApi).toList());
    }
}
