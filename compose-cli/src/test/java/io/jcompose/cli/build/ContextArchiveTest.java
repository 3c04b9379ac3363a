package io.jcompose.cli.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jcompose.runtime.image.build.context.DockerfileSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContextArchiveTest {
    @TempDir Path dir;

    @Test
    void ignoredFilesAreNotSentButTheDockerfileAndTheIgnoreFileAlwaysAre() throws IOException {
        Path ctx = Files.createDirectories(dir.resolve("ctx"));
        Files.writeString(ctx.resolve("Dockerfile"), "FROM busybox\n");
        Files.writeString(ctx.resolve(".dockerignore"), "secret.env\nDockerfile\n.dockerignore\nbuild/\n");
        Files.writeString(ctx.resolve("secret.env"), "x");
        Files.writeString(ctx.resolve("main.py"), "print(1)");
        Files.createDirectories(ctx.resolve("build/deep"));
        Files.writeString(ctx.resolve("build/deep/out.o"), "o");
        Files.createDirectories(ctx.resolve("src"));
        Files.writeString(ctx.resolve("src/a.py"), "a");

        ContextArchive a = ContextArchive.write(ctx, DockerfileSource.resolve(ctx, null, null), dir.resolve("c.tar"));

        Map<String, TarArchiveEntry> entries = entries(a.tar());
        assertThat(a.dockerfile()).isEqualTo("Dockerfile");
        assertThat(entries.keySet()).containsExactlyInAnyOrder("Dockerfile", ".dockerignore", "main.py", "src/", "src/a.py");
        TarArchiveEntry e = entries.get("main.py");
        assertThat(e.getLongUserId()).isZero();
        assertThat(e.getLongGroupId()).isZero();
        assertThat(e.getUserName()).isEmpty(); // dockerd's classic builder hashes it into COPY's cache key
        assertThat(e.getSize()).isEqualTo(8);
    }

    @Test
    void timesAreWholeSecondsAsTheDockerCliSendsThemSoNoEntryNeedsAPaxHeader() throws IOException {
        Path ctx = Files.createDirectories(dir.resolve("ctx"));
        Files.writeString(ctx.resolve("Dockerfile"), "FROM busybox\n");
        Path main = Files.writeString(ctx.resolve("main.py"), "print(1)");
        java.time.Instant fractional = java.time.Instant.parse("2026-03-04T05:06:07.891234567Z");
        Files.setLastModifiedTime(main, java.nio.file.attribute.FileTime.from(fractional));

        ContextArchive a = ContextArchive.write(ctx, DockerfileSource.resolve(ctx, null, null), dir.resolve("c.tar"));

        assertThat(entries(a.tar()).get("main.py").getLastModifiedTime().toInstant()).isEqualTo(java.time.Instant.parse("2026-03-04T05:06:07Z"));
        // a fraction would have cost the entry a PAX record with it
        assertThat(new String(Files.readAllBytes(a.tar()), StandardCharsets.ISO_8859_1)).doesNotContain("mtime=");
    }

    @Test
    void namedContextsGoUnderTheirOwnDirectoryThroughTheirOwnIgnoreFile() throws IOException {
        Path ctx = Files.createDirectories(dir.resolve("ctx"));
        Files.writeString(ctx.resolve("Dockerfile"), "FROM extra\n");
        Path extra = Files.createDirectories(dir.resolve("extra/conf"));
        Files.writeString(extra.resolve("app.conf"), "c");
        Files.writeString(extra.resolveSibling("secret.key"), "s");
        Files.writeString(extra.resolveSibling(".dockerignore"), "secret.key\n");

        ContextArchive a = ContextArchive.write(ctx, DockerfileSource.resolve(ctx, null, null), Map.of("extra", extra.getParent()),
                dir.resolve("c.tar"));

        assertThat(a.namedContexts()).containsOnlyKeys("extra");
        String in = a.namedContexts().get("extra");
        assertThat(in).matches("\\.jcompose-context\\.[0-9a-f]{20}/0");
        assertThat(entries(a.tar()).keySet()).containsExactlyInAnyOrder("Dockerfile", in + "/", in + "/conf/", in + "/conf/app.conf",
                in + "/.dockerignore");
        assertThatThrownBy(() -> ContextArchive.write(ctx, DockerfileSource.resolve(ctx, null, null), Map.of("x", dir.resolve("nope")),
                dir.resolve("d.tar"))).hasMessageContaining("additional context \"x\"").hasMessageContaining("is not a directory");
    }

    @Test
    void anInlineDockerfileGetsARandomNameThatTheIgnoreFileHides() throws IOException {
        Path ctx = Files.createDirectories(dir.resolve("ctx"));
        Files.writeString(ctx.resolve(".dockerignore"), "*.log\n");
        Files.writeString(ctx.resolve("a.log"), "x");
        Files.writeString(ctx.resolve("keep.txt"), "k");

        ContextArchive a = ContextArchive.write(ctx, DockerfileSource.resolve(ctx, null, "FROM busybox\nCMD [\"true\"]\n"), dir.resolve("c.tar"));

        assertThat(a.dockerfile()).matches("\\.dockerfile\\.[0-9a-f]{20}");
        Map<String, String> contents = contents(a.tar());
        assertThat(contents.keySet()).containsExactlyInAnyOrder("keep.txt", ".dockerignore", a.dockerfile());
        assertThat(contents.get(a.dockerfile())).isEqualTo("FROM busybox\nCMD [\"true\"]\n");
        assertThat(contents.get(".dockerignore")).startsWith("*.log\n").endsWith("\n" + a.dockerfile() + "\n");
    }

    @Test
    void aDockerfileOutsideTheContextIsAddedToo() throws IOException {
        Path ctx = Files.createDirectories(dir.resolve("ctx"));
        Files.writeString(ctx.resolve("keep.txt"), "k");
        Files.writeString(dir.resolve("outside.Dockerfile"), "FROM scratch\n");

        ContextArchive a = ContextArchive.write(ctx, DockerfileSource.resolve(ctx, "../outside.Dockerfile", null), dir.resolve("c.tar"));

        Map<String, String> contents = contents(a.tar());
        assertThat(contents.get(a.dockerfile())).isEqualTo("FROM scratch\n");
        assertThat(contents.get(".dockerignore")).isEqualTo("\n" + a.dockerfile() + "\n");
    }

    private static Map<String, TarArchiveEntry> entries(Path tar) throws IOException {
        Map<String, TarArchiveEntry> out = new LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(tar); TarArchiveInputStream t = new TarArchiveInputStream(in)) {
            for (TarArchiveEntry e = t.getNextEntry(); e != null; e = t.getNextEntry()) {
                out.put(e.getName(), e);
            }
        }
        return out;
    }

    private static Map<String, String> contents(Path tar) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(tar); TarArchiveInputStream t = new TarArchiveInputStream(in)) {
            for (TarArchiveEntry e = t.getNextEntry(); e != null; e = t.getNextEntry()) {
                out.put(e.getName(), e.isDirectory() ? "" : new String(t.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return out;
    }
}
