package io.jcompose.runtime.container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/** A busybox root filesystem built from the host's busybox-static (no registry needed); also used by the supervise tests. */
public final class Busybox {
    public static final Path BUSYBOX = Path.of("/bin/busybox");

    private Busybox() {}

    /** Skips the test with a reason when this machine cannot run containers. */
    public static void assumeRootAndBusybox() {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root (namespaces, mounts, cgroups)");
        Assumptions.assumeTrue(Files.isExecutable(BUSYBOX), "needs busybox-static (/bin/busybox)");
    }

    public static Path shim() {
        Path p = Path.of(System.getProperty("jcompose.shim", "target/native/jcompose-shim"));
        Assumptions.assumeTrue(Files.isExecutable(p), "jcompose-shim not built at " + p);
        return p.toAbsolutePath();
    }

    /** bin/busybox + one symlink per applet, /etc/passwd and /etc/group like Docker's busybox image. */
    public static Path rootfs(Path dir) throws IOException, InterruptedException {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        Files.copy(BUSYBOX, bin.resolve("busybox"), StandardCopyOption.REPLACE_EXISTING);
        Process p = new ProcessBuilder(BUSYBOX.toString(), "--list").start();
        List<String> applets = new String(p.getInputStream().readAllBytes()).lines().toList();
        p.waitFor();
        for (String a : applets) {
            if (a.isBlank() || a.equals("busybox")) continue;
            Path link = bin.resolve(a);
            if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) Files.createSymbolicLink(link, Path.of("busybox"));
        }
        for (String d : List.of("etc", "proc", "sys", "dev", "tmp", "root", "home", "var")) Files.createDirectories(dir.resolve(d));
        Files.writeString(dir.resolve("etc/passwd"), """
                root:x:0:0:root:/root:/bin/sh
                daemon:x:1:1:daemon:/usr/sbin:/bin/false
                nobody:x:65534:65534:nobody:/home:/bin/false
                """);
        Files.writeString(dir.resolve("etc/group"), """
                root:x:0:
                daemon:x:1:
                wheel:x:10:root
                nogroup:x:65534:
                """);
        return dir;
    }

    /** Recursive delete that never follows symlinks (the rootfs is full of them). */
    public static void delete(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
