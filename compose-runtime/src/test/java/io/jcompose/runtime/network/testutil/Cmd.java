package io.jcompose.runtime.network.testutil;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a short command for a test and returns its exit code and combined output. */
public record Cmd(int exit, String output) {

    public static Cmd run(String... argv) {
        try {
            Process p = new ProcessBuilder(List.of(argv)).redirectErrorStream(true).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timeout: " + String.join(" ", argv));
            }
            return new Cmd(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code ip netns exec jc-<name> argv...} */
    public static Cmd inNetns(String nsName, String... argv) {
        String[] full = new String[argv.length + 4];
        full[0] = "ip";
        full[1] = "netns";
        full[2] = "exec";
        full[3] = nsName;
        System.arraycopy(argv, 0, full, 4, argv.length);
        return run(full);
    }

    public static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }
}
