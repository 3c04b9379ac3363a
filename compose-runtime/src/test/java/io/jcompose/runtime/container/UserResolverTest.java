package io.jcompose.runtime.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jcompose.runtime.container.UserResolver.ResolvedUser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserResolverTest {
    @TempDir Path root;

    @BeforeEach
    void files() throws Exception {
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/passwd"), """
                root:x:0:0:root:/root:/bin/sh
                daemon:x:1:1:daemon:/usr/sbin:/bin/false
                app:x:1000:1000:app:/home/app:/bin/sh
                """);
        Files.writeString(root.resolve("etc/group"), """
                root:x:0:
                wheel:x:10:root
                app:x:1000:
                audio:x:29:app,daemon
                video:x:44:app
                """);
    }

    @Test
    void defaultIsRootWithItsSupplementaryGroups() throws Exception {
        assertThat(UserResolver.resolve(root, null, List.of())).isEqualTo(new ResolvedUser(0, 0, List.of(0L, 10L)));
    }

    @Test
    void nameGivesUidGidAndMemberships() throws Exception {
        assertThat(UserResolver.resolve(root, "app", List.of())).isEqualTo(new ResolvedUser(1000, 1000, List.of(1000L, 29L, 44L)));
    }

    @Test
    void numericUidFoundInPasswdAlsoGetsGroups() throws Exception {
        assertThat(UserResolver.resolve(root, "1000", List.of()).additionalGids()).containsExactly(1000L, 29L, 44L);
    }

    @Test
    void unknownNumericUidIsAllowedWithGidZero() throws Exception {
        assertThat(UserResolver.resolve(root, "4242", List.of())).isEqualTo(new ResolvedUser(4242, 0, List.of(0L)));
    }

    @Test
    void explicitGroupByNameOrNumberAndNoSupplementary() throws Exception {
        assertThat(UserResolver.resolve(root, "app:audio", List.of())).isEqualTo(new ResolvedUser(1000, 29, List.of(29L)));
        assertThat(UserResolver.resolve(root, "1000:5000", List.of())).isEqualTo(new ResolvedUser(1000, 5000, List.of(5000L)));
    }

    @Test
    void groupAddByNameAndNumber() throws Exception {
        assertThat(UserResolver.resolve(root, "daemon", List.of("video", "777")).additionalGids()).containsExactly(1L, 29L, 44L, 777L);
    }

    @Test
    void unknownNamesAreErrorsWithDockersWording() {
        assertThatThrownBy(() -> UserResolver.resolve(root, "nobody", List.of()))
                .hasMessage("unable to find user nobody: no matching entries in passwd file");
        assertThatThrownBy(() -> UserResolver.resolve(root, "app:nogroup", List.of()))
                .hasMessage("unable to find group nogroup: no matching entries in group file");
    }

    @Test
    void missingFilesMeanNumericOnly() throws Exception {
        Path empty = Files.createDirectory(root.resolve("empty"));
        assertThat(UserResolver.resolve(empty, "33:33", List.of())).isEqualTo(new ResolvedUser(33, 33, List.of(33L)));
        assertThatThrownBy(() -> UserResolver.resolve(empty, "www", List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
