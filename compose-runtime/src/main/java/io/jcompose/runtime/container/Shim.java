package io.jcompose.runtime.container;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs the {@code jcompose-shim} binary (docs/shim.md). */
final class Shim {
    private final Path binary;

    Shim(Path binary) {
        this.binary = binary;
    }

    /**
     * The binary: system property {@code jcompose.shim}, env {@code JCOMPOSE_SHIM}, or
     * {@code compose-runtime/target/native/jcompose-shim} under the working directory.
     */
    static Shim locate() {
        String p = System.getProperty("jcompose.shim", System.getenv("JCOMPOSE_SHIM"));
        List<Path> candidates = new ArrayList<>();
        if (p != null) candidates.add(Path.of(p));
        candidates.add(Path.of("compose-runtime/target/native/jcompose-shim"));
        candidates.add(Path.of("target/native/jcompose-shim"));
        for (Path c : candidates) if (Files.isExecutable(c)) return new Shim(c.toAbsolutePath());
        throw new ContainerException("jcompose-shim not found (looked at " + candidates
                + "); build it with ./scripts/mvn -pl compose-runtime compile or set -Djcompose.shim=PATH");
    }

    Path binary() {
        return binary;
    }

    /** Result of a shim command that ran to its end. */
    record Result(int exitCode, String stderr) {}

    Result run(List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(binary.toString());
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        try {
            return new Result(p.waitFor(), err);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for jcompose-shim", e);
        }
    }

    /** A started {@code exec}: stdio belongs to the caller. */
    Process start(List<String> args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(binary.toString());
        cmd.addAll(args);
        return new ProcessBuilder(cmd).start();
    }
}
