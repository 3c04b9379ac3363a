package io.jcompose.planner.build;

import io.jcompose.model.Project;
import io.jcompose.model.Service;
import io.jcompose.planner.engine.ContainerRequests;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * What {@code up}, {@code create} and {@code run} pull and build before creating containers, as
 * compose v2 decides it ({@code pkg/compose/build.go ensureImagesExists}, {@code pull.go
 * pullRequiredImages}, {@code cmd/compose/create.go Apply}):
 * <ol>
 *   <li>{@code --pull X} replaces every service's {@code pull_policy}; {@code --build} then makes
 *       it {@code build} for each service with a build section;</li>
 *   <li>a service with both {@code image:} and {@code build:} whose policy is {@code missing}
 *       (the default, also {@code if_not_present}) and whose image is not in the engine, or whose
 *       policy is {@code always}, is <em>pulled first</em>; a failed pull is only a warning,
 *       since the image can be built;</li>
 *   <li>unless {@code --no-build}, a service with a build section is built when its policy is
 *       {@code build} or its image is (still) not in the engine.</li>
 * </ol>
 * Services without a build section are pulled by the reconciler, not here.
 *
 * @param mode the build flags
 * @param pull the {@code --pull} value ({@code always|missing|never|build}), or {@code null} for
 *     the services' own {@code pull_policy}
 */
public record BuildPolicy(Mode mode, String pull) {

    /** The build flags of {@code up}/{@code create}/{@code run}. */
    public enum Mode {
        /** Neither flag: build what is missing or has {@code pull_policy: build}. */
        MISSING,
        /** {@code --build}: build every service that has a build section. */
        ALWAYS,
        /** {@code --no-build}: build nothing. */
        NEVER
    }

    /**
     * @param build {@code --build}
     * @param noBuild {@code --no-build}
     * @param pull {@code --pull}, or {@code null}
     * @return the policy
     */
    public static BuildPolicy of(boolean build, boolean noBuild, String pull) {
        return new BuildPolicy(noBuild ? Mode.NEVER : build ? Mode.ALWAYS : Mode.MISSING, pull);
    }

    /**
     * The pull policy compose applies to a service with a build section after the flags.
     *
     * @param s the service
     * @return {@code missing}, {@code always}, {@code never}, {@code build}, {@code if_not_present}...
     */
    public String policyOf(Service s) {
        if (mode == Mode.ALWAYS && s.build() != null) {
            return "build";
        }
        if (pull != null) {
            return pull;
        }
        return s.pullPolicy() == null || s.pullPolicy().isEmpty() ? "missing" : s.pullPolicy();
    }

    /**
     * The images of services with {@code build:} and {@code image:} to pull before deciding to
     * build (a failed pull is not an error: the image is built instead).
     *
     * @param project the project
     * @param services the services acted on (with their dependencies)
     * @param imagePresent whether the engine has an image of that name
     * @return service names, one per image, in the project's order
     */
    public List<String> toPullFirst(Project project, Collection<String> services, Predicate<String> imagePresent) {
        List<String> out = new ArrayList<>();
        Set<String> images = new LinkedHashSet<>();
        for (Service s : project.services().values()) {
            if (s.build() == null || s.image() == null || !services.contains(s.name()) || images.contains(s.image())) {
                continue;
            }
            boolean pull = switch (policyOf(s)) {
                case "always" -> true;
                case "missing", "if_not_present" -> !imagePresent.test(s.image());
                default -> false; // never, build
            };
            if (pull) {
                images.add(s.image());
                out.add(s.name());
            }
        }
        return out;
    }

    /**
     * The services to build, after {@link #toPullFirst} pulls.
     *
     * @param project the project
     * @param services the services acted on (with their dependencies)
     * @param imagePresent whether the engine has an image of that name (now)
     * @return service names in the project's order
     */
    public List<String> toBuild(Project project, Collection<String> services, Predicate<String> imagePresent) {
        List<String> out = new ArrayList<>();
        if (mode == Mode.NEVER) {
            return out;
        }
        for (Service s : project.services().values()) {
            if (s.build() == null || !services.contains(s.name())) {
                continue;
            }
            if ("build".equals(policyOf(s)) || !imagePresent.test(ContainerRequests.imageName(project, s))) {
                out.add(s.name());
            }
        }
        return out;
    }
}
