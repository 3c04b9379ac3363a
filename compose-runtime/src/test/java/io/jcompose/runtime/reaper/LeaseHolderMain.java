package io.jcompose.runtime.reaper;

import io.jcompose.runtime.api.client.SessionLease;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A separate process that holds a session lease until it is killed: {@code <socket> <session>
 * <keepalive-ms>}. Prints {@code HELD <keep-alive>} once the daemon has confirmed the lease.
 */
public final class LeaseHolderMain {

    private LeaseHolderMain() {}

    public static void main(String[] args) throws Exception {
        SessionLease lease = SessionLease.open(Path.of(args[0]), args[1], Duration.ofMillis(Long.parseLong(args[2])));
        System.out.println("HELD " + lease.keepAlive());
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE); // until kill -9
    }

    /** Starts a holder and waits for its {@code HELD} line. */
    static Process start(Path socket, String session, Duration keepAlive) throws Exception {
        String javaBin = ProcessHandle.current().info().command().orElseThrow();
        Process p = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"), LeaseHolderMain.class.getName(), socket.toString(),
                session, Long.toString(keepAlive.toMillis()))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        var out = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
        String line = out.readLine();
        if (line == null || !line.startsWith("HELD")) {
            p.destroyForcibly();
            throw new IllegalStateException("the lease holder did not take the lease: " + line);
        }
        return p;
    }
}
