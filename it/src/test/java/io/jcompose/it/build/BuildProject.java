package io.jcompose.it.build;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The project the build tests use, written into a temp dir: one compose file whose services
 * each exercise one part of a build (a Python app with its requirements copied first, a
 * multi-stage build, USER/WORKDIR/ENV with build args, a heredoc RUN, a bad instruction, a
 * failing RUN, {@code build: .}, a pushed image). Names are unique per run (directory = project
 * name, a token in the requirements, the registry repository), so runs on a shared engine
 * never hit each other's cache or images.
 *
 * @param dir the project directory
 * @param composeFile its compose file
 * @param name the project name
 * @param pushRepository the test-only repository on the test's own registry ({@code 127.0.0.1:<port>/...})
 */
public record BuildProject(Path dir, Path composeFile, String name, String pushRepository) {

    /**
     * Writes the project under {@code parent}.
     *
     * @param registry {@code host:port} of a registry of the test's own (pushes to the shared
     *     fixture registry would stay there)
     */
    static BuildProject write(Path parent, String registry) throws IOException {
        String token = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()).substring(6);
        String name = "jcb" + token;
        Path dir = Files.createDirectories(parent.resolve(name));
        String repo = registry + "/jcompose-test-" + token + "/built";
        file(dir, "compose.yaml", """
                services:
                  app:
                    build: ./app
                  multi:
                    build:
                      context: ./multi
                  runtime:
                    build:
                      context: runtime
                      args:
                        GREETING: hi
                        SUFFIX:
                  heredoc:
                    build: ./heredoc
                  bad:
                    build: ./bad
                  failing:
                    build: ./failing
                  dot:
                    build: .
                  neverbuilt:
                    build: ./multi
                  pushed:
                    image: %s:1
                    build: ./multi
                  oracle:
                    image: %s:1
                    build:
                      context: runtime
                      args:
                        GREETING: hi
                        SUFFIX:
                  publisher:
                    image: %s:1
                    build: ./published
                  prebuilt:
                    image: %s:1
                    build: ./multi
                  fallback:
                    image: %s:1
                    build: ./multi
                  created:
                    build: ./multi
                  runbuilt:
                    build: ./multi
                  named:
                    build:
                      context: ./named
                      additional_contexts:
                        extra: ./extra
                  files:
                    build:
                      context: ./files
                      dockerfile: docker/app.Dockerfile
                      target: final
                  inline:
                    build:
                      context: ./files
                      dockerfile_inline: |
                        FROM busybox
                        COPY keep.txt /keep.txt
                        CMD ["cat", "/keep.txt"]
                """.formatted(repo, oracleRepository(repo), publishedRepository(repo), publishedRepository(repo), neverPushedRepository(repo)));
        file(dir, "named/Dockerfile", """
                FROM extra AS tools
                FROM busybox
                COPY --from=extra /greeting.txt /greeting.txt
                COPY --from=tools /tool.sh /tool.sh
                COPY . /ctx/
                CMD ["sh", "-c", "cat /greeting.txt && sh /tool.sh && ls -a /ctx"]
                """);
        file(dir, "named/main.txt", "main context\n");
        file(dir, "extra/greeting.txt", "hello from extra\n");
        file(dir, "extra/tool.sh", "echo tool from extra\n");
        // dockerfile: in a subfolder, target: with a stage after it that would fail, .dockerignore with an exception
        file(dir, "files/docker/app.Dockerfile", """
                FROM busybox AS base
                COPY . /ctx/
                FROM base AS final
                CMD ["sh", "-c", "find /ctx -type f | sort"]
                FROM base AS after
                RUN echo the stage after the target must not run && exit 9
                """);
        file(dir, "files/.dockerignore", "logs\n!logs/keep.log\n*.secret\n");
        file(dir, "files/keep.txt", "kept by the inline Dockerfile\n");
        file(dir, "files/logs/debug.log", "ignored\n");
        file(dir, "files/logs/keep.log", "the exception\n");
        file(dir, "files/db.secret", "do-not-ship\n");
        file(dir, "published/Dockerfile", """
                FROM busybox
                CMD ["echo", "from-the-registry"]
                """);
        file(dir, "Dockerfile", """
                FROM busybox
                CMD ["echo", "dot-service-up"]
                """);
        file(dir, "app/Dockerfile", """
                FROM python:3.11-slim
                WORKDIR /app
                COPY requirements.txt .
                RUN python -c "print('installing', open('requirements.txt').read().split())" && cp requirements.txt /installed.txt
                COPY . .
                CMD ["python", "main.py"]
                """);
        file(dir, "app/requirements.txt", "token==" + token + "\n");
        file(dir, "app/main.py", """
                import os
                print("hello from main")
                print("secret present:", os.path.exists("/app/secret.env"))
                """);
        file(dir, "app/secret.env", "PASSWORD=do-not-ship\n");
        file(dir, "app/.dockerignore", "secret.env\n");
        file(dir, "multi/Dockerfile", """
                FROM busybox AS builder
                RUN mkdir /out && echo built-in-stage-one > /out/artifact.txt
                FROM busybox
                COPY --from=builder /out/artifact.txt /artifact.txt
                CMD ["cat", "/artifact.txt"]
                """);
        file(dir, "runtime/Dockerfile", RUNTIME_DOCKERFILE);
        file(dir, "heredoc/Dockerfile", """
                FROM busybox
                RUN <<EOF
                echo first > /heredoc.txt
                echo second >> /heredoc.txt
                EOF
                CMD ["cat", "/heredoc.txt"]
                """);
        file(dir, "bad/Dockerfile", """
                FROM busybox
                RUN true
                RUNN echo oops
                """);
        file(dir, "failing/Dockerfile", """
                FROM busybox
                RUN echo about to fail && exit 7
                """);
        return new BuildProject(dir, dir.resolve("compose.yaml"), name, repo);
    }

    /** A Dockerfile that sets every config field the cross-oracle test compares. */
    static final String RUNTIME_DOCKERFILE = """
            FROM busybox
            ARG GREETING=default
            ARG SUFFIX
            ENV GREETING=${GREETING}${SUFFIX}
            RUN echo 'appuser:x:1000:1000::/work:/bin/sh' >> /etc/passwd && mkdir /work && chown 1000 /work
            WORKDIR /work
            USER appuser
            LABEL org.example.kind=runtime
            EXPOSE 8080
            STOPSIGNAL SIGTERM
            HEALTHCHECK --interval=30s --timeout=5s CMD true
            VOLUME /data
            ENTRYPOINT ["sh", "-c"]
            CMD ["echo uid=$(id -u) dir=$(pwd) greeting=$GREETING"]
            """;

    /** The environment the commands run with: {@code SUFFIX} feeds the value-less build arg. */
    static Map<String, String> env() {
        return Map.of("SUFFIX", "-env");
    }

    /** The repository of the image the cross-oracle test builds on jcomposed and runs on dockerd. */
    static String oracleRepository(String pushRepository) {
        return pushRepository.replace("/built", "/runtime");
    }

    /** The repository {@code publisher} pushes and {@code prebuilt} (same image, other Dockerfile) pulls. */
    static String publishedRepository(String pushRepository) {
        return pushRepository.replace("/built", "/published");
    }

    /** A repository nothing pushes: {@code fallback}'s pull fails, so it is built. */
    static String neverPushedRepository(String pushRepository) {
        return pushRepository.replace("/built", "/never-pushed");
    }

    /** The image name compose gives a built service without {@code image:}. */
    String image(String service) {
        return name + "-" + service;
    }

    /** Every image the project may leave in an engine. */
    List<String> images() {
        return List.of(image("app"), image("multi"), image("runtime"), image("heredoc"), image("dot"), pushRepository + ":1",
                oracleRepository(pushRepository) + ":1", publishedRepository(pushRepository) + ":1",
                neverPushedRepository(pushRepository) + ":1", image("created"), image("runbuilt"), image("named"),
                image("files"), image("inline"));
    }

    static void file(Path dir, String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }

    /**
     * Which steps of a classic-builder stream came from the cache: step text ({@code RUN ...},
     * {@code COPY . .}) → whether {@code  ---> Using cache} followed it.
     */
    static Map<String, Boolean> cachedSteps(String out) {
        Map<String, Boolean> steps = new LinkedHashMap<>();
        String current = null;
        for (String line : out.split("\n")) {
            if (line.startsWith("Step ")) {
                current = line.substring(line.indexOf(" : ") + 3).strip();
                steps.put(current, false);
            } else if (current != null && line.strip().equals("---> Using cache")) {
                steps.put(current, true);
            }
        }
        return steps;
    }
}
