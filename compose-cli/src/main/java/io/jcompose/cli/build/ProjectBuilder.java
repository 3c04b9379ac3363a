package io.jcompose.cli.build;

import io.jcompose.model.Project;
import io.jcompose.model.Service;
import io.jcompose.planner.engine.ContainerRequests;
import io.jcompose.runtime.api.client.EngineClient;
import java.io.PrintWriter;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds the images of several services one after the other, each image once even when
 * services share it (compose builds per image name), stopping at the first failure.
 */
public final class ProjectBuilder {
    private final EngineClient client;
    private final PrintWriter out;

    /**
     * @param client the engine
     * @param out where the builders' streams are shown (stdout)
     */
    public ProjectBuilder(EngineClient client, PrintWriter out) {
        this.client = client;
        this.out = out;
    }

    /**
     * Builds the services' images.
     *
     * @param project the project
     * @param services the services to build, in order; those without {@code build:} are skipped
     * @param flags the command line's flags
     * @return image id by service name, for the services built
     * @throws BuildFailure at the first build that fails
     */
    public Map<String, String> build(Project project, List<String> services, BuildFlags flags) {
        Map<String, String> ids = new LinkedHashMap<>();
        Set<String> images = new HashSet<>();
        for (String name : services) {
            Service s = project.service(name);
            if (s.build() == null || !images.add(ContainerRequests.imageName(project, s))) {
                continue;
            }
            ids.put(name, new ServiceBuilder(client, new BuildOutput(out, flags.quiet())).build(project, s, flags));
        }
        return ids;
    }

    /**
     * The services a {@code build} command names, with their dependencies when asked
     * ({@code --with-dependencies}), dependencies first.
     *
     * @param project the project
     * @param named the services on the command line (all when empty)
     * @param withDependencies add what they depend on, transitively
     * @return the service names
     * @throws IllegalArgumentException {@code no such service: x}
     */
    public static List<String> select(Project project, List<String> named, boolean withDependencies) {
        if (named.isEmpty()) {
            return List.copyOf(project.services().keySet());
        }
        Set<String> out = new java.util.LinkedHashSet<>();
        for (String n : named) {
            project.service(n); // throws "no such service: n"
            if (withDependencies) {
                addDependencies(project, n, out);
            }
            out.add(n);
        }
        return List.copyOf(out);
    }

    private static void addDependencies(Project project, String name, Set<String> out) {
        for (String dep : project.service(name).dependsOn().keySet()) {
            if (project.services().containsKey(dep) && !out.contains(dep)) {
                addDependencies(project, dep, out);
                out.add(dep);
            }
        }
    }
}
