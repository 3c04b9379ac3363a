package io.jcompose.it.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.jcompose.it.support.ComposeRun.Result;
import io.jcompose.runtime.api.EngineApiException;
import io.jcompose.runtime.api.client.EngineClient;
import io.jcompose.runtime.api.model.ImageInspect;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What {@code jcompose build} / {@code up --build} / {@code push} must do on any engine that
 * serves {@code POST /build}; each subclass runs them on one engine (dockerd, jcomposed).
 * Cache hits are counted from the builder's own stream ({@code  ---> Using cache}).
 */
abstract class BuildScenarios {

    /** The project, written before each test. */
    abstract BuildProject project();

    /** Runs {@code jcompose --progress plain -H <engine> -f <compose file> args...}. */
    abstract Result jcompose(String... args);

    /** The engine under test. */
    abstract EngineClient engine();

    @Test
    void pythonAppRebuildKeepsTheInstallStepOnSourceChangeAndRerunsItOnRequirementsChange() throws Exception {
        String install = "RUN python -c \"print('installing', open('requirements.txt').read().split())\" && cp requirements.txt /installed.txt";
        Result first = jcompose("build", "app");
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(BuildProject.cachedSteps(first.out())).containsEntry(install, false);

        BuildProject.file(project().dir(), "app/main.py", Files.readString(project().dir().resolve("app/main.py")) + "print('changed')\n");
        Result sourceChange = jcompose("build", "app");
        assertThat(sourceChange.code()).as(sourceChange.err()).isZero();
        Map<String, Boolean> steps = BuildProject.cachedSteps(sourceChange.out());
        assertThat(steps).as(sourceChange.out()).containsEntry("COPY requirements.txt .", true).containsEntry(install, true)
                .containsEntry("COPY . .", false);

        BuildProject.file(project().dir(), "app/requirements.txt", "token==other\n");
        Result requirementsChange = jcompose("build", "app");
        assertThat(requirementsChange.code()).as(requirementsChange.err()).isZero();
        assertThat(BuildProject.cachedSteps(requirementsChange.out())).as(requirementsChange.out())
                .containsEntry("COPY requirements.txt .", false).containsEntry(install, false);
    }

    @Test
    void upRunsTheBuiltAppWithoutTheIgnoredSecret() {
        Result up = jcompose("up", "app");
        assertThat(up.code()).as(up.err()).isZero();
        assertThat(up.out()).contains("hello from main").contains("secret present: False");
    }

    @Test
    void multiStageBuildCopiesFromTheFirstStage() {
        Result up = jcompose("up", "--build", "multi");
        assertThat(up.code()).as(up.err()).isZero();
        assertThat(up.out()).contains("built-in-stage-one");
    }

    @Test
    void userWorkdirEnvAndBuildArgsReachTheRunningContainer() {
        Result build = jcompose("build", "--build-arg", "GREETING=cli", "runtime");
        assertThat(build.code()).as(build.err()).isZero();
        Result up = jcompose("up", "--no-build", "runtime");
        assertThat(up.code()).as(up.err()).isZero();
        // GREETING from --build-arg (over the file's "hi"), SUFFIX from the environment
        assertThat(up.out()).contains("uid=1000 dir=/work greeting=cli-env");
        ImageInspect image = engine().inspectImage(project().image("runtime"));
        assertThat(image.config().user()).isEqualTo("appuser");
        assertThat(image.config().workingDir()).isEqualTo("/work");
        assertThat(image.config().labels()).containsEntry("com.docker.compose.image.builder", "classic")
                .containsEntry("org.example.kind", "runtime");
    }

    /**
     * {@code dockerfile:} in a subfolder of a context given relative to the compose file (the
     * test JVM's working directory is elsewhere), {@code target:} with a failing stage after it,
     * {@code .dockerignore} with a {@code !} exception, {@code dockerfile_inline:}, and
     * {@code build --no-cache} running a step the plain rebuild takes from the cache.
     */
    @Test
    void dockerfileTargetIgnoreExceptionsInlineDockerfileAndNoCache() {
        Result up = jcompose("up", "--build", "files", "inline");
        assertThat(up.code()).as(up.err()).isZero();
        assertThat(up.out()).contains("/ctx/keep.txt", "/ctx/logs/keep.log", "kept by the inline Dockerfile")
                .doesNotContain("debug.log", "db.secret", "must not run");

        Result cached = jcompose("build", "inline");
        assertThat(cached.code()).as(cached.err()).isZero();
        assertThat(BuildProject.cachedSteps(cached.out())).as(cached.out()).containsEntry("COPY keep.txt /keep.txt", true);
        Result noCache = jcompose("build", "--no-cache", "inline");
        assertThat(noCache.code()).as(noCache.err()).isZero();
        assertThat(BuildProject.cachedSteps(noCache.out())).as(noCache.out()).containsEntry("COPY keep.txt /keep.txt", false)
                .doesNotContainValue(true);

        // -q and build's own --progress quiet show nothing of the builder; --pull fetches the base again and builds
        for (List<String> quietly : List.of(List.of("-q"), List.of("--progress", "quiet"), List.of("-q", "--pull"))) {
            List<String> args = new java.util.ArrayList<>(List.of("build"));
            args.addAll(quietly);
            args.add("inline");
            Result quiet = jcompose(args.toArray(String[]::new));
            assertThat(quiet.code()).as(quietly + ": " + quiet.err()).isZero();
            assertThat(quiet.out()).as(quietly.toString()).doesNotContain("Step ", "Using cache");
        }
    }

    @Test
    void aBadInstructionIsOneLineNamingItsDockerfileLine() {
        Result build = jcompose("build", "bad");
        assertThat(build.code()).isNotZero();
        String err = build.err().strip();
        assertThat(err.lines()).as(err).hasSize(1);
        assertThat(err).containsPattern("(line 3|Dockerfile:3)").contains("RUNN");
    }

    @Test
    void aFailingRunExitsWithItsStatus() {
        Result build = jcompose("build", "failing");
        assertThat(build.code()).as(build.out() + build.err()).isEqualTo(7);
        assertThat(build.err().strip()).contains("exit 7").contains("returned a non-zero code: 7");
    }

    @Test
    void upBuildOfBuildDotBringsTheServiceUpAndRecreatesItAfterAChange() throws Exception {
        Result up = jcompose("up", "--build", "dot");
        assertThat(up.code()).as(up.err()).isZero();
        assertThat(up.out()).contains("Step 1/").contains("dot-service-up");

        BuildProject.file(project().dir(), "Dockerfile", "FROM busybox\nCMD [\"echo\", \"dot-service-v2\"]\n");
        Result again = jcompose("up", "--build", "dot");
        assertThat(again.code()).as(again.err()).isZero();
        // the old container, merely restarted, would print dot-service-up again
        assertThat(again.out()).contains("dot-service-v2").doesNotContain("dot-service-up");
    }

    @Test
    void upNoBuildRefusesAMissingImage() {
        Result up = jcompose("up", "--no-build", "-d", "neverbuilt");
        assertThat(up.code()).isEqualTo(1);
        assertThat(up.err()).contains(project().image("neverbuilt"));
    }

    @Test
    void buildPushAndPushSendTheNamedImageToTheRegistry() throws Exception {
        Result build = jcompose("build", "--push", "pushed");
        assertThat(build.code()).as(build.err()).isZero();
        String[] hostAndRepo = project().pushRepository().split("/", 2);
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> tags = http.send(HttpRequest.newBuilder(URI.create("http://" + hostAndRepo[0] + "/v2/" + hostAndRepo[1] + "/tags/list")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(tags.statusCode()).isEqualTo(200);
            assertThat(tags.body()).contains("\"1\"");
        }
        Result push = jcompose("push", "pushed"); // again: every layer is already there
        assertThat(push.code()).as(push.err()).isZero();
        Result unknown = jcompose("push", "nosuch");
        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.err().strip()).isEqualTo("no such service: nosuch");
    }

    @Test
    void aMissingImageThatCanBePulledIsPulledNotBuilt() {
        Result push = jcompose("build", "--push", "publisher");
        assertThat(push.code()).as(push.err()).isZero();
        String image = BuildProject.publishedRepository(project().pushRepository()) + ":1";
        engine().removeImage(image, true);

        // prebuilt names the same image with another Dockerfile: compose pulls it and does not build
        Result up = jcompose("up", "prebuilt");
        assertThat(up.code()).as(up.err()).isZero();
        assertThat(up.err()).contains("prebuilt Pulled");
        assertThat(up.out()).doesNotContain("Step 1/").contains("from-the-registry");

        // --build (pull_policy: build) builds it whatever the registry has
        Result rebuilt = jcompose("up", "--build", "prebuilt");
        assertThat(rebuilt.code()).as(rebuilt.err()).isZero();
        assertThat(rebuilt.out()).contains("Step 1/").contains("built-in-stage-one");
    }

    @Test
    void aMissingImageThatCannotBePulledIsBuiltAfterAWarning() {
        Result up = jcompose("up", "fallback");
        assertThat(up.code()).as(up.err()).isZero();
        assertThat(up.err()).contains("fallback Warning");
        assertThat(up.out()).contains("Step 1/").contains("built-in-stage-one");
    }

    @Test
    void createBuildBuildsAndCreatesWithoutStarting() {
        Result create = jcompose("create", "--build", "created");
        assertThat(create.code()).as(create.err()).isZero();
        assertThat(create.out()).contains("Step 1/");
        Result ps = jcompose("ps", "-a", "--format", "json", "created");
        assertThat(ps.code()).as(ps.err()).isZero();
        assertThat(ps.out()).contains("\"Service\":\"created\"").contains("\"State\":\"created\"");

        Result noBuild = jcompose("create", "--no-build", "created"); // the image is there now: nothing to build
        assertThat(noBuild.code()).as(noBuild.err()).isZero();
        assertThat(noBuild.out()).doesNotContain("Step 1/");
        Result both = jcompose("create", "--build", "--no-build", "created");
        assertThat(both.code()).isNotZero();
        assertThat(both.err()).contains("--build and --no-build are incompatible");
    }

    @Test
    void runBuildsAMissingImageAndRebuildsWithBuild() {
        Result first = jcompose("run", "--rm", "runbuilt");
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(first.out()).contains("Step 1/").contains("built-in-stage-one");

        Result again = jcompose("run", "--rm", "runbuilt"); // present: not built again
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.out()).doesNotContain("Step 1/").contains("built-in-stage-one");

        Result forced = jcompose("run", "--rm", "--build", "runbuilt", "echo", "after-build");
        assertThat(forced.code()).as(forced.err()).isZero();
        assertThat(forced.out()).contains("Step 1/").contains("---> Using cache").contains("after-build");
    }

    /** Removes the project's containers and images from the engine (a shared one keeps nothing of ours). */
    void removeImages() {
        jcompose("down", "-v", "-t", "1");
        for (String image : project().images()) {
            try {
                engine().removeImage(image, true);
            } catch (EngineApiException e) {
                // not built by this test
            }
        }
    }
}
