package io.jcompose.planner.build;

import io.jcompose.model.Project;
import io.jcompose.model.Service;
import io.jcompose.planner.engine.ContainerRequests;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Predicate;

/**
 * Which services {@code up} builds before creating containers, as compose v2 decides it
 * ({@code pkg/compose/build.go}, {@code create.go}): only services with a {@code build:} section;
 * {@code --no-build} builds none; {@code --build} (which compose turns into
 * {@code pull_policy: build}) and {@code pull_policy: build} always build; otherwise a service is
 * built when its image is not in the engine ({@code pull_policy: missing}, the default).
 */
public final class BuildPolicy {

    /** The {@code up} flags about building. */
    public enum Mode {
        /** Neither flag: build what is missing or has {@code pull_policy: build}. */
        MISSING,
        /** {@code --build}: build every service that has a build section. */
        ALWAYS,
        /** {@code --no-build}: build nothing. */
        NEVER
    }

    private BuildPolicy() {}

    /**
     * The services to build, in the project's (name) order.
     *
     * @param project the project
     * @param services the services {@code up} acts on (with their dependencies)
     * @param mode the flags
     * @param imagePresent whether the engine has an image of that name
     * @return the names of the services to build
     */
    public static List<String> servicesToBuild(Project project, Collection<String> services, Mode mode, Predicate<String> imagePresent) {
        List<String> out = new ArrayList<>();
        if (mode == Mode.NEVER) {
            return out;
        }
        for (Service s : project.services().values()) {
            if (s.build() == null || !services.contains(s.name())) {
                continue;
            }
            boolean always = mode == Mode.ALWAYS || "build".equals(s.pullPolicy());
            if (always || !imagePresent.test(ContainerRequests.imageName(project, s))) {
                out.add(s.name());
            }
        }
        return out;
    }
}
