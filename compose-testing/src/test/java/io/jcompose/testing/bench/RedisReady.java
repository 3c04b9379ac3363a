package io.jcompose.testing.bench;

import io.jcompose.testing.ComposeProject;
import io.jcompose.testing.ComposeStack;
import io.jcompose.testing.ServiceHandle;
import io.jcompose.testing.Wait;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;

/**
 * bench/testing/redis-ready: what a test class does to get a ready redis, in a fresh JVM, with
 * jcompose's API or with Testcontainers. Prints {@code READY <ms since JVM start> <ms since the
 * first API call> <CPU ms of this JVM>} once redis answers PING on its published port, then tears
 * the stack down.
 *
 * <p>Usage: {@code RedisReady jcompose <compose dir>} or {@code RedisReady testcontainers}.
 */
public final class RedisReady {
    private RedisReady() {}

    public static void main(String[] args) throws Exception {
        long first = System.nanoTime();
        switch (args[0]) {
            case "jcompose" -> {
                try (ComposeStack stack = ComposeProject.from(Path.of(args[1]))
                        .waitingFor("cache", Wait.forLogLine("Ready to accept connections").withTimeout(Duration.ofSeconds(60)))
                        .withStopTimeout(0)
                        .up()) {
                    ServiceHandle cache = stack.service("cache");
                    ready(first, cache.host(), cache.port(6379));
                }
            }
            case "testcontainers" -> {
                // the reference dockerd runs with --bridge=none: a user-defined network gives the
                // container an address its published port can be proxied to (jcompose makes one per project too)
                try (Network network = Network.newNetwork();
                        GenericContainer<?> redis = new GenericContainer<>("redis:7.0").withNetwork(network).withExposedPorts(6379)
                                .waitingFor(org.testcontainers.containers.wait.strategy.Wait.forLogMessage(".*Ready to accept connections.*\\n", 1))) {
                    redis.start();
                    ready(first, redis.getHost(), redis.getMappedPort(6379));
                }
            }
            default -> throw new IllegalArgumentException("usage: RedisReady jcompose <compose dir> | testcontainers");
        }
        System.exit(0); // leases and client threads must not keep the JVM (and the timing loop) waiting
    }

    /** Checks redis really answers, then prints the timings. */
    private static void ready(long first, String host, int port) throws IOException {
        try (Socket s = new Socket(host, port)) {
            OutputStream out = s.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] pong = in.readNBytes(7);
            if (!"+PONG\r\n".equals(new String(pong, StandardCharsets.US_ASCII))) {
                throw new IllegalStateException("redis answered " + new String(pong, StandardCharsets.US_ASCII));
            }
        }
        long now = System.currentTimeMillis();
        long sinceStart = now - ManagementFactory.getRuntimeMXBean().getStartTime();
        long cpu = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        System.out.println("READY " + sinceStart + " " + (System.nanoTime() - first) / 1_000_000 + " " + cpu / 1_000_000);
        System.out.flush();
    }
}
