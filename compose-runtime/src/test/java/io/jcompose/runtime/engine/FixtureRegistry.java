package io.jcompose.runtime.engine;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The project's fixture registry on {@code 127.0.0.1:5000} for tests: used when it runs, else
 * started with {@code fixtures/registry up} (which builds the images from Debian packages); the
 * test is skipped, saying why, when that is impossible. A registry this helper started is stopped
 * again by {@link #release()}.
 */
final class FixtureRegistry {

    static final String MIRROR = "http://127.0.0.1:5000";

    private static boolean startedHere;

    private FixtureRegistry() {}

    /** Makes sure the registry answers, or skips the test. */
    static synchronized void require() throws IOException, InterruptedException {
        if (answers()) {
            return;
        }
        Path script = script();
        assumeTrue(script != null, "fixtures/registry not found: cannot start the fixture registry on 127.0.0.1:5000");
        Process p = new ProcessBuilder(script.toString(), "up").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        boolean done = p.waitFor(20, TimeUnit.MINUTES);
        assumeTrue(done && p.exitValue() == 0 && answers(),
                "the fixture registry on 127.0.0.1:5000 could not be started (`fixtures/registry up` failed; the images are built "
                        + "from Debian packages and need root and the package mirror):\n" + out);
        startedHere = true;
    }

    /** Stops the registry if this helper started it. */
    static synchronized void release() throws IOException, InterruptedException {
        if (startedHere) {
            new ProcessBuilder(script().toString(), "down").inheritIO().start().waitFor(60, TimeUnit.SECONDS);
            startedHere = false;
        }
    }

    private static Path script() {
        for (Path p : new Path[] {Path.of("fixtures/registry"), Path.of("../fixtures/registry")}) {
            if (Files.isExecutable(p)) {
                return p.toAbsolutePath();
            }
        }
        return null;
    }

    private static boolean answers() {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(MIRROR + "/v2/").toURL().openConnection();
            c.setConnectTimeout(2000);
            c.setReadTimeout(2000);
            int status = c.getResponseCode();
            c.disconnect();
            return status == 200;
        } catch (IOException e) {
            return false;
        }
    }
}
