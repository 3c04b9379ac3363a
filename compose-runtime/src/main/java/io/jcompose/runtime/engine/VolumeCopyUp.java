package io.jcompose.runtime.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.stream.Stream;

/**
 * Docker's volume copy-up: an empty volume mounted over a directory of the image first receives
 * that directory's content (owners, modes and times kept). The image's view is the merge of its
 * overlay layers, read here bottom to top; overlay whiteouts (0:0 character devices) delete.
 */
final class VolumeCopyUp {

    private VolumeCopyUp() {}

    /**
     * @param lowerDirs the image's layer directories, top first (overlay {@code lowerdir} order)
     * @param target the mount point inside the container
     * @param volume the volume's data directory
     */
    static void copyIfEmpty(List<Path> lowerDirs, String target, Path volume) {
        try {
            if (!isEmpty(volume)) {
                return;
            }
            String rel = target.replaceAll("^/+", "");
            if (rel.isEmpty()) {
                return;
            }
            for (int i = lowerDirs.size() - 1; i >= 0; i--) {
                Path src = lowerDirs.get(i).resolve(rel);
                if (Files.isDirectory(src, LinkOption.NOFOLLOW_LINKS)) {
                    copyTree(src, volume);
                } else if (Files.exists(src, LinkOption.NOFOLLOW_LINKS)) {
                    clear(volume); // a file or whiteout hides what lower layers had there
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("copying image content at " + target + " into volume " + volume + ": " + e.getMessage(), e);
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    private static void clear(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                deleteTree(p);
            }
        }
    }

    private static boolean isWhiteout(Path p, BasicFileAttributes a) throws IOException {
        if (!a.isOther()) {
            return false;
        }
        Object rdev = Files.getAttribute(p, "unix:rdev", LinkOption.NOFOLLOW_LINKS);
        return rdev instanceof Long l && l == 0L;
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Path d = to.resolve(from.relativize(dir).toString());
                if (!dir.equals(from)) {
                    if (Files.exists(d, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) {
                        Files.delete(d);
                    }
                    if (!Files.exists(d, LinkOption.NOFOLLOW_LINKS)) {
                        Files.copy(dir, d, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
                    }
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Path d = to.resolve(from.relativize(file).toString());
                if (isWhiteout(file, attrs)) {
                    deleteTree(d);
                    return FileVisitResult.CONTINUE;
                }
                deleteTree(d);
                Files.copy(file, d, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
                return FileVisitResult.CONTINUE;
            }
        });
        // the volume's root takes the directory's owner and mode, as Docker does
        Files.setPosixFilePermissions(to, Files.getPosixFilePermissions(from, LinkOption.NOFOLLOW_LINKS));
        Files.setOwner(to, Files.getOwner(from, LinkOption.NOFOLLOW_LINKS));
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> s = Files.list(p)) {
                for (Path c : s.toList()) {
                    deleteTree(c);
                }
            }
        }
        Files.delete(p);
    }
}
