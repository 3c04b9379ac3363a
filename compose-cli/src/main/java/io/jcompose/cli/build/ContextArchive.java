package io.jcompose.cli.build;

import io.jcompose.runtime.image.build.context.BuildContext;
import io.jcompose.runtime.image.build.context.ContextException;
import io.jcompose.runtime.image.build.context.ContextFile;
import io.jcompose.runtime.image.build.context.DockerfileSource;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The build context as the tar {@code POST /build} takes, made the way the docker CLI makes it
 * ({@code archive.TarWithOptions} with the {@code .dockerignore} excludes, owners 0:0): files the
 * {@code .dockerignore} excludes are not sent, but the Dockerfile and the {@code .dockerignore}
 * always are (the engine reads and then drops them). A Dockerfile from outside the context or
 * from {@code dockerfile_inline:} is added under a random {@code .dockerfile.<hex>} name that is
 * appended to the tar's {@code .dockerignore}, as the CLI's {@code AddDockerfileToBuildContext}
 * does, so a {@code COPY .} never copies it.
 *
 * <p>Named contexts (compose's {@code additional_contexts}) go into the same tar, each through
 * its own {@code .dockerignore}, under {@code .jcompose-context.<20 hex>/<n>/}: jcomposed's
 * {@code jcompose-contexts} extension (docs/engine-api.md) names them and the engine moves them
 * out of the main context before building.
 *
 * @param tar the archive (a temp file the caller deletes)
 * @param dockerfile the Dockerfile's name inside the archive (the {@code dockerfile} parameter)
 * @param namedContexts each named context's directory inside the archive, by name (the
 *     {@code jcompose-contexts} parameter); empty for none
 */
public record ContextArchive(Path tar, String dockerfile, Map<String, String> namedContexts) {

    public ContextArchive {
        namedContexts = Map.copyOf(namedContexts);
    }

    private static final String IGNORE_FILE = ".dockerignore";

    /**
     * Writes the archive of a context directory.
     *
     * @param context the context directory
     * @param dockerfile the resolved Dockerfile ({@link DockerfileSource#resolve})
     * @param tar where to write the archive
     * @return the archive and the Dockerfile's name in it
     * @throws io.jcompose.runtime.image.build.context.ContextException when the context is unusable
     */
    public static ContextArchive write(Path context, DockerfileSource dockerfile, Path tar) {
        return write(context, dockerfile, Map.of(), tar);
    }

    /**
     * Writes the archive of a context directory and of named contexts.
     *
     * @param context the context directory
     * @param dockerfile the resolved Dockerfile ({@link DockerfileSource#resolve})
     * @param namedContexts local directories by context name ({@code additional_contexts})
     * @param tar where to write the archive
     * @return the archive, the Dockerfile's name and the named contexts' directories in it
     * @throws io.jcompose.runtime.image.build.context.ContextException when a context is unusable
     */
    public static ContextArchive write(Path context, DockerfileSource dockerfile, Map<String, Path> namedContexts, Path tar) {
        Path root = context.toAbsolutePath().normalize();
        BuildContext ctx = BuildContext.open(root, dockerfile.path());
        String inContext = dockerfile.path() == null ? null : relativeName(root, dockerfile.path().toAbsolutePath().normalize());
        String name = inContext != null ? inContext : ".dockerfile." + HexFormat.of().formatHex(randomBytes(10));
        Map<String, String> named = new LinkedHashMap<>();
        try (OutputStream file = Files.newOutputStream(tar);
                TarArchiveOutputStream out = new TarArchiveOutputStream(new java.io.BufferedOutputStream(file, 64 * 1024))) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            boolean dockerfileSent = false;
            boolean ignoreSent = false;
            for (ContextFile f : ctx.select(".")) {
                if (f.name().isEmpty()) {
                    continue; // the context directory itself
                }
                if (f.name().equals(IGNORE_FILE) && inContext == null) {
                    continue; // rewritten below with the random Dockerfile name
                }
                entry(out, f.name(), f.path());
                dockerfileSent |= f.name().equals(name);
                ignoreSent |= f.name().equals(IGNORE_FILE);
            }
            Path ignoreFile = root.resolve(IGNORE_FILE);
            if (inContext == null) {
                String ignored = Files.isRegularFile(ignoreFile) ? Files.readString(ignoreFile, StandardCharsets.UTF_8) : "";
                bytes(out, IGNORE_FILE, (ignored + "\n" + name + "\n").getBytes(StandardCharsets.UTF_8));
                bytes(out, name, dockerfile.text().getBytes(StandardCharsets.UTF_8));
            } else {
                if (!dockerfileSent) {
                    entry(out, name, dockerfile.path());
                }
                if (!ignoreSent && Files.isRegularFile(ignoreFile)) {
                    entry(out, IGNORE_FILE, ignoreFile);
                }
            }
            String prefix = ".jcompose-context." + HexFormat.of().formatHex(randomBytes(10)) + "/";
            int n = 0;
            for (Map.Entry<String, Path> e : new TreeMap<>(namedContexts).entrySet()) {
                String dir = prefix + n++;
                Path namedRoot = e.getValue().toAbsolutePath().normalize();
                if (!Files.isDirectory(namedRoot)) {
                    throw new ContextException("additional context \"" + e.getKey() + "\": " + namedRoot + " is not a directory");
                }
                for (ContextFile f : BuildContext.open(namedRoot, null).select(".")) {
                    entry(out, f.name().isEmpty() ? dir : dir + "/" + f.name(), f.path());
                }
                named.put(e.getKey(), dir);
            }
            out.finish();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot archive the build context " + root + ": " + e.getMessage(), e);
        }
        return new ContextArchive(tar, name, named);
    }

    /** The file's name relative to the context, or null when it is outside. */
    private static String relativeName(Path root, Path file) {
        if (!file.startsWith(root) || file.equals(root)) {
            return null;
        }
        return root.relativize(file).toString().replace('\\', '/');
    }

    private static void entry(TarArchiveOutputStream out, String name, Path path) throws IOException {
        boolean dir = Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS);
        boolean link = Files.isSymbolicLink(path);
        TarArchiveEntry e;
        if (link) {
            e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
            e.setLinkName(Files.readSymbolicLink(path).toString());
        } else {
            e = new TarArchiveEntry(dir ? name + "/" : name);
        }
        int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        e.setMode(mode);
        owned(e);
        e.setModTime(wholeSeconds(Files.getLastModifiedTime(path, LinkOption.NOFOLLOW_LINKS)));
        if (!dir && !link) {
            e.setSize(Files.size(path));
        }
        out.putArchiveEntry(e);
        if (!dir && !link) {
            Files.copy(path, out);
        }
        out.closeArchiveEntry();
    }

    private static void bytes(TarArchiveOutputStream out, String name, byte[] content) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setMode(0100600);
        owned(e);
        e.setSize(content.length);
        e.setModTime(wholeSeconds(FileTime.fromMillis(System.currentTimeMillis())));
        out.putArchiveEntry(e);
        out.write(content);
        out.closeArchiveEntry();
    }

    /**
     * The time to whole seconds, as the CLI's {@code FileInfoHeaderNoLookups} truncates it: a
     * fraction would cost every entry a PAX header (a KiB more to send, parse and extract) and
     * make dockerd's COPY cache key differ from the one the docker CLI's tar gives.
     */
    static FileTime wholeSeconds(FileTime t) {
        return FileTime.from(t.to(TimeUnit.SECONDS), TimeUnit.SECONDS);
    }

    /**
     * Owner 0:0 without user and group names, as the CLI writes them ({@code ChownOpts}, no
     * name lookups): dockerd's classic builder hashes these header fields into COPY's cache key.
     */
    private static void owned(TarArchiveEntry e) {
        e.setIds(0, 0);
        e.setUserName("");
        e.setGroupName("");
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }
}
