package io.jcompose.it.testcontainers;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * What a user's Testcontainers test does, run in its own JVM (so {@code DOCKER_HOST}, the
 * Testcontainers settings and {@code user.home} are its own): a {@link GenericContainer} of redis
 * with a log-line wait and a mapped port, then a real RESP {@code PING} over TCP to the mapped
 * port. Prints {@code KEY value} lines the test checks; exits non-zero on any failure.
 *
 * <p>Arguments: the image ({@code redis:7.0}) and {@code stop} (stop the container, as a test's
 * try-with-resources does) or {@code exit} (leave it running: Testcontainers' JVM shutdown hook,
 * its cleanup when Ryuk is disabled, must remove it).
 */
public final class RedisWithTestcontainersMain {

    private RedisWithTestcontainersMain() {}

    public static void main(String[] args) throws Exception {
        var factory = DockerClientFactory.instance();
        System.out.println("DOCKER_HOST " + factory.getTransportConfig().getDockerHost());
        System.out.println("SERVER_VERSION " + factory.getInfo().getServerVersion());
        System.out.println("API_VERSION " + factory.getActiveApiVersion());
        boolean stop = args[1].equals("stop");
        GenericContainer<?> redis = new GenericContainer<>(DockerImageName.parse(args[0]))
                .withExposedPorts(6379)
                .waitingFor(Wait.forLogMessage(".*Ready to accept connections.*", 1))
                .withStartupTimeout(java.time.Duration.ofMinutes(3));
        try {
            redis.start();
            System.out.println("CONTAINER " + redis.getContainerId());
            System.out.println("HOST " + redis.getHost());
            int port = redis.getMappedPort(6379);
            System.out.println("MAPPED_PORT " + port);
            try (Socket s = new Socket(redis.getHost(), port)) {
                s.setSoTimeout(10_000);
                OutputStream out = s.getOutputStream();
                out.write("*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = s.getInputStream();
                byte[] buf = new byte[7];
                int n = in.readNBytes(buf, 0, buf.length);
                System.out.println("PING " + new String(buf, 0, n, StandardCharsets.US_ASCII).strip());
            }
            System.out.println("LOGS " + redis.getLogs().contains("Ready to accept connections"));
        } finally {
            if (stop) {
                redis.stop();
                System.out.println("STOPPED");
            }
        }
        System.out.flush();
    }
}
