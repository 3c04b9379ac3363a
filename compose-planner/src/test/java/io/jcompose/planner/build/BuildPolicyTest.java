package io.jcompose.planner.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.jcompose.model.LoadOptions;
import io.jcompose.model.Project;
import io.jcompose.model.ProjectLoader;
import io.jcompose.planner.build.BuildPolicy.Mode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildPolicyTest {
    @TempDir Path dir;

    @Test
    void upBuildsMissingImagesAndPullPolicyBuildAlwaysOnlyForServicesWithABuildSection() throws IOException {
        Files.writeString(dir.resolve("compose.yaml"), """
                services:
                  built:
                    build: .
                  present:
                    build: .
                  always:
                    build: .
                    pull_policy: build
                  named:
                    image: example/named:1
                    build: .
                  pulled:
                    image: busybox
                """);
        Project p = ProjectLoader.load(LoadOptions.defaults().withEnvironment(Map.of()).withCurrentDirectory(dir).withProjectName("demo"));
        Set<String> present = Set.of("demo-present", "demo-always", "example/named:1");
        List<String> all = List.of("built", "present", "always", "named", "pulled");

        assertThat(BuildPolicy.servicesToBuild(p, all, Mode.MISSING, present::contains)).containsExactly("always", "built");
        assertThat(BuildPolicy.servicesToBuild(p, all, Mode.ALWAYS, present::contains)).containsExactly("always", "built", "named", "present");
        assertThat(BuildPolicy.servicesToBuild(p, all, Mode.NEVER, present::contains)).isEmpty();
        assertThat(BuildPolicy.servicesToBuild(p, List.of("present", "pulled"), Mode.ALWAYS, present::contains)).containsExactly("present");
    }
}
