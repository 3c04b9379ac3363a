package io.jcompose.cli.command;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * A daemon exec root short enough for the engine's Unix socket paths (jcomposed refuses run roots
 * whose {@code /containers} path exceeds 30 characters; JUnit's temp dirs are longer).
 */
final class ShortRunRoot implements AutoCloseable {
    final Path path;

    ShortRunRoot() throws IOException {
        byte[] b = new byte[3];
        ThreadLocalRandom.current().nextBytes(b);
        path = Files.createDirectory(Path.of("/tmp/jc" + HexFormat.of().formatHex(b)));
    }

    @Override
    public void close() throws IOException {
        if (Files.exists(path)) {
            try (Stream<Path> all = Files.walk(path)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
