package io.jcompose.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jcompose.model.Project;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading and naming, without an engine. */
class ComposeProjectTest {
    @TempDir Path dir;

    @Test
    void projectNamesAreTheFolderPlusARandomSuffixCleanedAsComposeDoes() {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            String name = ComposeProject.uniqueName(Path.of("/x/My App.v2"));
            assertThat(name).matches("myappv2-[0-9a-f]{6}");
            names.add(name);
        }
        assertThat(names).as("50 names, no collision").hasSizeGreaterThan(45);
        assertThat(ComposeProject.uniqueName(Path.of("/x/__"))).matches("jcompose-[0-9a-f]{6}");
    }

    @Test
    void aFolderOrAFileLoadsWithEnvProfilesAndAUniqueNameUnlessOneIsGiven() throws Exception {
        Path app = Files.createDirectory(dir.resolve("shop"));
        Files.writeString(app.resolve("compose.yaml"), """
                services:
                  web:
                    image: "nginx:${TAG:-latest}"
                  debug:
                    image: busybox
                    profiles: [debug]
                """);
        Project byFolder = ComposeProject.from(app).withEnv("TAG", "1.27").load();
        assertThat(byFolder.name()).matches("shop-[0-9a-f]{6}");
        assertThat(byFolder.service("web").image()).isEqualTo("nginx:1.27");
        assertThat(byFolder.services()).containsOnlyKeys("web");
        assertThat(ComposeProject.from(app).load().name()).as("a new name per load").isNotEqualTo(byFolder.name());

        Project byFile = ComposeProject.from(app.resolve("compose.yaml")).withProjectName("fixed").withProfiles("debug").load();
        assertThat(byFile.name()).isEqualTo("fixed");
        assertThat(byFile.services()).containsOnlyKeys("web", "debug");
        assertThat(byFile.service("web").image()).isEqualTo("nginx:latest");
    }

    @Test
    void aBadFileFailsWithTheComposeErrorLine() throws Exception {
        Path file = Files.writeString(dir.resolve("compose.yaml"), "services:\n  web:\n    image: [1\n");
        assertThatThrownBy(() -> ComposeProject.from(file).load()).isInstanceOf(ComposeException.class)
                .hasMessageContaining("compose.yaml");
        assertThatThrownBy(() -> ComposeProject.from(dir.resolve("nothing-here")).load()).isInstanceOf(ComposeException.class);
    }
}
