package io.jcompose.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProjectLockTest {
    @TempDir Path dir;

    @Test
    void directoryFollowsTheVariableThenXdgCacheThenHome() {
        assertThat(ProjectLock.directory(Map.of(ProjectLock.DIR_VARIABLE, "/x/locks", "HOME", "/h"))).isEqualTo(Path.of("/x/locks"));
        assertThat(ProjectLock.directory(Map.of("XDG_CACHE_HOME", "/c", "HOME", "/h"))).isEqualTo(Path.of("/c/jcompose/locks"));
        assertThat(ProjectLock.directory(Map.of("HOME", "/h"))).isEqualTo(Path.of("/h/.cache/jcompose/locks"));
    }

    @Test
    void fileIsPerEngineAndProject() {
        Path a = ProjectLock.file(dir, "unix:///run/jcompose/jcompose.sock", "demo");
        assertThat(a.getFileName().toString()).matches("demo-[0-9a-f]{12}\\.lock");
        assertThat(ProjectLock.file(dir, "unix:///run/jcompose/jcompose.sock", "demo")).isEqualTo(a);
        assertThat(ProjectLock.file(dir, "unix:///var/run/docker.sock", "demo")).isNotEqualTo(a);
        assertThat(ProjectLock.file(dir, "unix:///run/jcompose/jcompose.sock", "other")).isNotEqualTo(a);
    }

    @Test
    void aSecondHolderWaitsSaysSoOnceAndGetsTheLockWhenTheFirstReleases() throws Exception {
        Path file = ProjectLock.file(dir.resolve("sub"), "h", "demo");
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        PrintWriter err = new PrintWriter(said, true, StandardCharsets.UTF_8);
        ProjectLock first = ProjectLock.acquire(file, "demo", err);
        assertThat(Files.exists(file)).isTrue();
        assertThat(said.size()).isZero();
        CountDownLatch waiting = new CountDownLatch(1);
        CompletableFuture<Boolean> second = CompletableFuture.supplyAsync(() -> {
            waiting.countDown();
            try (ProjectLock l = ProjectLock.acquire(file, "demo", err)) {
                return l.held();
            }
        });
        waiting.await();
        // the second cannot finish while the first holds the lock
        assertThat(second.completeOnTimeout(false, 300, TimeUnit.MILLISECONDS).join()).isFalse();
        second = CompletableFuture.supplyAsync(() -> {
            try (ProjectLock l = ProjectLock.acquire(file, "demo", err)) {
                return l.held();
            }
        });
        Thread.sleep(200); // let it reach the wait (a race only makes the message assertion below weaker, never wrong)
        first.close();
        assertThat(second.get(10, TimeUnit.SECONDS)).isTrue();
        String text = said.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("Waiting for another jcompose working on project \"demo\" to finish (lock " + file + ")");
        assertThat(text.lines().filter(l -> l.startsWith("Waiting")).count()).isLessThanOrEqualTo(2); // once per waiter
    }

    @Test
    void anotherProcessHoldingTheFileLockIsWaitedFor() throws Exception {
        // the JDK locks with fcntl(F_SETLK) record locks (not flock(2)); python's lockf takes the same kind
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "needs python3 to hold an fcntl lock from another process");
        Path file = ProjectLock.file(dir, "h", "demo");
        Files.createDirectories(dir);
        Path ready = dir.resolve("ready");
        Process holder = new ProcessBuilder("/usr/bin/python3", "-c", "import fcntl, sys, time\n"
                + "f = open(sys.argv[1], 'a'); fcntl.lockf(f, fcntl.LOCK_EX); open(sys.argv[2], 'w').close(); time.sleep(1)",
                file.toString(), ready.toString()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!Files.exists(ready) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            ByteArrayOutputStream said = new ByteArrayOutputStream();
            try (ProjectLock l = ProjectLock.acquire(file, "demo", new PrintWriter(said, true, StandardCharsets.UTF_8))) {
                assertThat(said.toString(StandardCharsets.UTF_8)).startsWith("Waiting for another jcompose");
            }
        } finally {
            holder.destroyForcibly().waitFor();
        }
    }

    @Test
    void differentProjectsDoNotWaitForEachOther() {
        PrintWriter err = new PrintWriter(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        try (ProjectLock a = ProjectLock.acquire(ProjectLock.file(dir, "h", "a"), "a", err)) {
            boolean other = CompletableFuture.supplyAsync(() -> {
                try (ProjectLock b = ProjectLock.acquire(ProjectLock.file(dir, "h", "b"), "b", err)) {
                    return b.held();
                }
            }).orTimeout(10, TimeUnit.SECONDS).join();
            assertThat(other).isTrue();
            assertThat(a.held()).isTrue();
        }
    }

    @Test
    void anUnwritableDirectoryIsOneClearError() throws IOException {
        Path notADir = Files.writeString(dir.resolve("file"), "x");
        PrintWriter err = new PrintWriter(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertThatThrownBy(() -> ProjectLock.acquire(notADir.resolve("demo.lock"), "demo", err))
                .isInstanceOf(CliException.class)
                .hasMessageContaining("cannot lock project \"demo\"")
                .hasMessageContaining(ProjectLock.DIR_VARIABLE);
        // the in-process lock was given back: the next attempt fails the same way instead of hanging
        assertThatThrownBy(() -> ProjectLock.acquire(notADir.resolve("demo.lock"), "demo", err)).isInstanceOf(CliException.class);
    }
}
