package io.jcompose.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The temp directory and the {@link ComposeRun}s of an end-to-end test, made and thrown away by
 * JUnit (as Testcontainers' extension does for containers):
 *
 * <pre>{@code
 * @RegisterExtension final ComposeRuns compose = new ComposeRuns();
 *
 * @Test
 * void upAndDown() throws Exception {
 *     ComposeRun run = compose.prepare(compose.project("pair", """
 *             services:
 *               web: {image: busybox:latest, command: ["sleep", "300"]}
 *             """));
 *     assertThat(run.jcompose("up", "-d").code()).isZero();
 * }   // afterwards: down -v, the private daemon stopped, the directory deleted
 * }</pre>
 *
 * An instance field gives each test its own directory and runs; a static field also serves
 * {@code @BeforeAll} (what is prepared there lives until the class ends, what a test prepares
 * until the test ends). The directory is made on first use. Not for tests of one class running
 * concurrently.
 */
public final class ComposeRuns implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
    /** What one class or one test made: its directory (once asked for) and its runs. */
    private static final class Scope {
        Path dir;
        final List<ComposeRun> runs = new ArrayList<>();
    }

    private final Deque<Scope> scopes = new ArrayDeque<>();

    /**
     * The current class's or test's temp directory: the engine's data root and configuration go
     * there, and so may the test's files.
     *
     * @return the directory, made on first call
     */
    public Path dir() {
        Scope scope = current();
        if (scope.dir == null) {
            try {
                scope.dir = Files.createTempDirectory("jcit-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return scope.dir;
    }

    /**
     * Writes a project: {@code <dir>/<name>/compose.yaml}.
     *
     * @param name the project's folder (and so its default project name)
     * @param composeYaml the compose file's text
     * @return the compose file
     * @throws IOException when it cannot be written
     */
    public Path project(String name, String composeYaml) throws IOException {
        Path file = Files.createDirectories(dir().resolve(name)).resolve("compose.yaml");
        Files.writeString(file, composeYaml);
        return file;
    }

    /**
     * A run on a private jcomposed ({@link ComposeRun#prepare(Path, Path, Map)}), closed when the
     * test (or class) ends.
     *
     * @param composeFile the project's compose file
     * @return the run
     * @throws IOException when the directories cannot be made
     */
    public ComposeRun prepare(Path composeFile) throws IOException {
        return prepare(ComposeRun.Engine.JCOMPOSED, composeFile, Map.of());
    }

    /**
     * As {@link #prepare(Path)}, with more environment for the commands.
     *
     * @param composeFile the project's compose file
     * @param extraEnv variables beyond the engine's (e.g. ones the file interpolates)
     * @return the run
     * @throws IOException when the directories cannot be made
     */
    public ComposeRun prepare(Path composeFile, Map<String, String> extraEnv) throws IOException {
        return prepare(ComposeRun.Engine.JCOMPOSED, composeFile, extraEnv);
    }

    /**
     * As {@link #prepare(Path, Map)}, on the given engine ({@link ComposeRun#prepare(ComposeRun.Engine, Path, Path, Map)}).
     *
     * @param engine which engine the commands drive
     * @param composeFile the project's compose file
     * @param extraEnv variables beyond the engine's
     * @return the run
     * @throws IOException when the directories cannot be made
     */
    public ComposeRun prepare(ComposeRun.Engine engine, Path composeFile, Map<String, String> extraEnv) throws IOException {
        ComposeRun run = ComposeRun.prepare(engine, composeFile, dir(), extraEnv);
        current().runs.add(run);
        return run;
    }

    private Scope current() {
        if (scopes.isEmpty()) {
            throw new IllegalStateException("ComposeRuns is used outside a test: register it with @RegisterExtension");
        }
        return scopes.peek();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        scopes.push(new Scope());
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        scopes.push(new Scope());
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        close(scopes.pop());
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        close(scopes.pop());
    }

    /** Closes the runs, newest first, then deletes the directory; the first failure is thrown, later ones added to it. */
    private static void close(Scope scope) throws IOException {
        IOException failure = null;
        for (ComposeRun run : scope.runs.reversed()) {
            try {
                run.close();
            } catch (IOException | RuntimeException e) {
                failure = add(failure, e);
            }
        }
        if (scope.dir != null) {
            try (Stream<Path> all = Files.walk(scope.dir)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException | UncheckedIOException e) {
                failure = add(failure, e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private static IOException add(IOException failure, Exception e) {
        IOException io = e instanceof IOException x ? x : new IOException(e.getMessage(), e);
        if (failure == null) {
            return io;
        }
        failure.addSuppressed(io);
        return failure;
    }
}
