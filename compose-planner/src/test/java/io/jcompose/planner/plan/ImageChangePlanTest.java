package io.jcompose.planner.plan;

import static io.jcompose.planner.testing.Fixtures.project;
import static io.jcompose.planner.testing.Fixtures.service;
import static org.assertj.core.api.Assertions.assertThat;

import io.jcompose.model.Project;
import io.jcompose.model.Service;
import io.jcompose.planner.engine.ComposeLabels;
import io.jcompose.planner.engine.ContainerSummary;
import io.jcompose.planner.engine.NetworkInfo;
import io.jcompose.planner.observe.ObservedContainer;
import io.jcompose.planner.observe.ObservedState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code up} after a build: containers of a rebuilt image are recreated, as compose does. */
class ImageChangePlanTest {
    private static final Service WEB = service("web", "image", "p-web");
    private static final Service DB = service("db", "image", "postgres");

    private static ObservedContainer running(Service s, String imageId) {
        Map<String, String> l = Map.of(ComposeLabels.PROJECT, "p", ComposeLabels.SERVICE, s.name(), ComposeLabels.CONTAINER_NUMBER, "1",
                ComposeLabels.ONEOFF, "False", ComposeLabels.CONFIG_HASH, ConfigHash.of(s), ComposeLabels.IMAGE, imageId);
        return ObservedContainer.of(new ContainerSummary("id-" + s.name(), "p-" + s.name() + "-1", s.image(), "running", "Up", l, 1));
    }

    private static ObservedState observed(ObservedContainer... cs) {
        return new ObservedState("p", List.of(cs),
                List.of(new NetworkInfo("n1", "p_default", "bridge", Map.of(ComposeLabels.PROJECT, "p", ComposeLabels.NETWORK, "default"), null)),
                List.of());
    }

    private static String step(Plan plan, String service) {
        return switch (plan.services().get(service).steps().getFirst()) {
            case ContainerStep.Recreate r -> "recreate (" + r.reason() + ")";
            case ContainerStep.Keep k -> "keep";
            default -> "other";
        };
    }

    @Test
    void aContainerOfAnOlderImageIsRecreatedUnlessNoRecreate() {
        Project p = project("p", WEB, DB);
        ObservedState st = observed(running(WEB, "sha256:old"), running(DB, "sha256:pg"));

        Plan rebuilt = Planner.up(p, st, UpOptions.defaults(), Map.of("web", "sha256:new"));
        assertThat(step(rebuilt, "web")).isEqualTo("recreate (image changed)");
        assertThat(step(rebuilt, "db")).isEqualTo("keep"); // its image is not known: judged by config

        assertThat(step(Planner.up(p, st, UpOptions.defaults(), Map.of("web", "sha256:old")), "web")).isEqualTo("keep");
        assertThat(step(Planner.up(p, st, UpOptions.defaults().withRecreate(Recreate.NEVER), Map.of("web", "sha256:new")), "web"))
                .isEqualTo("keep");
        assertThat(step(Planner.up(p, st, UpOptions.defaults()), "web")).isEqualTo("keep");
    }
}
