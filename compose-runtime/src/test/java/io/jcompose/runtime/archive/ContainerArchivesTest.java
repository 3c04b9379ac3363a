package io.jcompose.runtime.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jcompose.runtime.api.EngineApiException;
import io.jcompose.runtime.api.model.ArchiveStat;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docker cp's path rules on a plain directory standing in for a container's root (no root, no mounts made). */
class ContainerArchivesTest {
    @TempDir Path root;
    @TempDir Path volume;

    ContainerTree tree() {
        return new ContainerTree(root, List.of(new ContainerTree.Mounted("/data", volume, false)), false);
    }

    void layout() throws IOException {
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/hostname"), "abc\n");
        Files.createDirectories(root.resolve("bin"));
        Files.writeString(root.resolve("bin/busybox"), "elf");
        Files.createSymbolicLink(root.resolve("bin/sh"), Path.of("/bin/busybox"));
        Files.createSymbolicLink(root.resolve("lnk"), Path.of("../../etc")); // climbs above / and stays inside
        Files.createDirectories(root.resolve("data")); // the mount point in the root fs
        Files.writeString(volume.resolve("v.txt"), "in the volume");
    }

    @Test
    void statNamesTheRequestedBaseAndTheResolvedLinkTarget() throws IOException {
        layout();
        Files.setLastModifiedTime(root.resolve("etc/hostname"), FileTime.from(Instant.parse("2025-05-20T00:00:00.120Z")));
        ArchiveStat file = ContainerArchives.stat(tree(), "c1", "/etc/hostname").stat();
        assertThat(file.name()).isEqualTo("hostname");
        assertThat(file.size()).isEqualTo(4);
        assertThat(file.mtime()).isEqualTo("2025-05-20T00:00:00.12Z");
        ArchiveStat dir = ContainerArchives.stat(tree(), "c1", "/lnk/").stat();
        assertThat(dir.name()).isEqualTo("lnk");
        assertThat(dir.mode() & (1L << 31)).as("Go's ModeDir").isNotZero();
        ArchiveStat link = ContainerArchives.stat(tree(), "c1", "bin/sh").stat();
        assertThat(link.linkTarget()).isEqualTo("/bin/busybox");
        assertThat(link.mode() & (1L << 27)).as("Go's ModeSymlink").isNotZero();
        assertThat(ContainerArchives.stat(tree(), "c1", "/data/v.txt").stat().size()).isEqualTo(13);
        assertThatThrownBy(() -> ContainerArchives.stat(tree(), "c1", "/nope")).isInstanceOf(EngineApiException.class)
                .hasMessage("Could not find the file /nope in container c1")
                .satisfies(e -> assertThat(((EngineApiException) e).status()).isEqualTo(404));
    }

    @Test
    void readingADirectoryNamesEntriesAfterTheRequestedPath() throws IOException {
        layout();
        assertThat(names("/lnk/")).containsExactly("lnk/", "lnk/hostname");
        assertThat(names("/etc/.")).containsExactly("./", "./hostname");
        assertThat(names("/bin/sh")).containsExactly("sh");
        assertThat(names("/")).contains("data/", "data/v.txt", "etc/hostname"); // a volume is part of the tree
    }

    @Test
    @Tag("root") // chown to the tar's owners
    void writingMergesDirectoriesKeepsModesOwnersTimesAndLinks() throws IOException {
        layout();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            add(tar, "src/", TarConstants.LF_DIR, 0750, null, null);
            add(tar, "src/a.txt", TarConstants.LF_NORMAL, 0640, "hello\n", null);
            add(tar, "src/link", TarConstants.LF_SYMLINK, 0777, null, "a.txt");
            add(tar, "src/sub/", TarConstants.LF_DIR, 0700, null, null);
            add(tar, "src/sub/b.sh", TarConstants.LF_NORMAL, 04755, "echo\n", null);
            add(tar, "src/hard", TarConstants.LF_LINK, 0640, null, "src/a.txt");
            add(tar, "../../escape", TarConstants.LF_NORMAL, 0644, "x", null);
        }
        String dest = ContainerArchives.extractionPoint(tree(), "c1", "/lnk"); // a link to a directory is followed
        assertThat(dest).isEqualTo("/etc");
        ContainerArchives.extract(tree(), dest, new ByteArrayInputStream(bytes.toByteArray()), true, new ContainerArchives.Ownership.FromTar());
        Path src = root.resolve("etc/src");
        assertThat(Files.readString(src.resolve("a.txt"))).isEqualTo("hello\n");
        assertThat(Files.getAttribute(src.resolve("sub/b.sh"), "unix:mode")).isEqualTo(0100000 | 04755);
        assertThat(Files.getAttribute(src.resolve("a.txt"), "unix:uid")).isEqualTo(1234);
        assertThat(Files.getAttribute(src, "unix:mode")).isEqualTo(040000 | 0750);
        assertThat(Files.getLastModifiedTime(src).toInstant()).isEqualTo(Instant.ofEpochSecond(1_600_000_000));
        assertThat(Files.readSymbolicLink(src.resolve("link"))).isEqualTo(Path.of("a.txt"));
        assertThat(Files.getAttribute(src.resolve("hard"), "unix:nlink")).isEqualTo(2);
        assertThat(root.resolve("etc/escape")).as("../ stays inside the extraction point").exists();

        assertThat(names("/etc/src")).containsExactly("src/", "src/a.txt", "src/hard", "src/link", "src/sub/", "src/sub/b.sh");

        assertThatThrownBy(() -> ContainerArchives.extractionPoint(tree(), "c1", "/etc/hostname"))
                .hasMessage("extraction point is not a directory");
        ByteArrayOutputStream dirOverFile = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(dirOverFile)) {
            add(tar, "hostname/", TarConstants.LF_DIR, 0755, null, null);
        }
        assertThatThrownBy(() -> ContainerArchives.extract(tree(), "/etc", new ByteArrayInputStream(dirOverFile.toByteArray()), true, new ContainerArchives.Ownership.FromTar()))
                .hasMessageContaining("cannot overwrite non-directory \"/etc/hostname\" with directory \"/etc\"");
    }

    @Test
    @Tag("root") // chown to the given owner
    void writingIntoAMountGoesToItsSource() throws IOException {
        layout();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            add(tar, "n.txt", TarConstants.LF_NORMAL, 0600, "new", null);
        }
        ContainerArchives.extract(tree(), ContainerArchives.extractionPoint(tree(), "c1", "/data/"),
                new ByteArrayInputStream(bytes.toByteArray()), false, new ContainerArchives.Ownership.Fixed(7, 8));
        assertThat(volume.resolve("n.txt")).hasContent("new");
        assertThat(Files.getAttribute(volume.resolve("n.txt"), "unix:gid")).isEqualTo(8);
        assertThat(root.resolve("data/n.txt")).doesNotExist();
    }

    List<String> names(String path) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ContainerArchives.write(tree(), ContainerArchives.stat(tree(), "c1", path), out);
        List<String> names = new ArrayList<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(out.toByteArray()))) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                names.add(e.getName());
            }
        }
        return names;
    }

    static void add(TarArchiveOutputStream tar, String name, byte type, int mode, String content, String link) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name, type);
        e.setMode(mode);
        e.setUserId(1234);
        e.setGroupId(2345);
        e.setModTime(FileTime.from(Instant.ofEpochSecond(1_600_000_000)));
        if (link != null) {
            e.setLinkName(link);
        }
        byte[] data = content == null ? new byte[0] : content.getBytes(StandardCharsets.UTF_8);
        e.setSize(data.length);
        tar.putArchiveEntry(e);
        tar.write(data);
        tar.closeArchiveEntry();
    }
}
