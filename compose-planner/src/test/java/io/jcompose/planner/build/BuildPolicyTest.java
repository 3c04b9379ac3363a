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

        assertThat(new BuildPolicy(Mode.MISSING, null).toBuild(p, all, present::contains)).containsExactly("always", "built");
        assertThat(new BuildPolicy(Mode.ALWAYS, null).toBuild(p, all, present::contains)).containsExactly("always", "built", "named", "present");
        assertThat(new BuildPolicy(Mode.NEVER, null).toBuild(p, all, present::contains)).isEmpty();
        assertThat(new BuildPolicy(Mode.ALWAYS, null).toBuild(p, List.of("present", "pulled"), present::contains)).containsExactly("present");
    }

    @Test
    void aMissingImageOfAServiceWithImageAndBuildIsPulledFirstUnlessThePolicySaysBuildOrNever() throws IOException {
        Files.writeString(dir.resolve("compose.yaml"), """
                services:
                  named:
                    image: example/named:1
                    build: .
                  twin:
                    image: example/named:1
                    build: .
                  unnamed:
                    build: .
                  forced:
                    image: example/forced:1
                    build: .
                    pull_policy: build
                  offline:
                    image: example/offline:1
                    build: .
                    pull_policy: never
                  fresh:
                    image: example/fresh:1
                    build: .
                    pull_policy: always
                  plain:
                    image: busybox
                """);
        Project p = ProjectLoader.load(LoadOptions.defaults().withEnvironment(Map.of()).withCurrentDirectory(dir).withProjectName("demo"));
        List<String> all = List.copyOf(p.services().keySet());
        Set<String> none = Set.of();
        Set<String> fresh = Set.of("example/fresh:1");

        // default: pull what is missing (one pull per image; services without image: or build: are not ours)
        assertThat(BuildPolicy.of(false, false, null).toPullFirst(p, all, none::contains)).containsExactly("fresh", "named");
        assertThat(BuildPolicy.of(false, false, null).toPullFirst(p, all, fresh::contains)).containsExactly("fresh", "named");
        // --no-build still pulls (compose's pullRequiredImages runs before the build decision)
        assertThat(BuildPolicy.of(false, true, null).toPullFirst(p, all, none::contains)).containsExactly("fresh", "named");
        // --build makes every buildable service pull_policy: build: nothing is pulled
        assertThat(BuildPolicy.of(true, false, null).toPullFirst(p, all, none::contains)).isEmpty();
        // --pull replaces every service's policy
        assertThat(BuildPolicy.of(false, false, "never").toPullFirst(p, all, none::contains)).isEmpty();
        assertThat(BuildPolicy.of(false, false, "always").toPullFirst(p, all, Set.of("example/named:1", "example/forced:1",
                "example/offline:1", "example/fresh:1")::contains)).containsExactly("forced", "fresh", "named", "offline");

        // after a pull that brought example/named:1 and failed for example/fresh:1
        Set<String> afterPull = Set.of("example/named:1");
        assertThat(BuildPolicy.of(false, false, null).toBuild(p, all, afterPull::contains))
                .containsExactly("forced", "fresh", "offline", "unnamed");
        assertThat(BuildPolicy.of(false, false, "build").toBuild(p, all, afterPull::contains))
                .containsExactly("forced", "fresh", "named", "offline", "twin", "unnamed");
        assertThat(BuildPolicy.of(false, true, null).toBuild(p, all, afterPull::contains)).isEmpty();
        assertThat(BuildPolicy.of(false, false, null).policyOf(p.service("offline"))).isEqualTo("never");
        assertThat(BuildPolicy.of(true, false, "never").policyOf(p.service("offline"))).isEqualTo("build");
        assertThat(BuildPolicy.of(true, false, "never").policyOf(p.service("plain"))).isEqualTo("never");
    }
}
