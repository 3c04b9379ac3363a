package io.jcompose.cli.command;

import io.jcompose.cli.JcomposeCommand;
import io.jcompose.cli.progress.EventStatus;
import io.jcompose.cli.progress.Progress;
import io.jcompose.cli.progress.ProgressEvent;
import io.jcompose.model.Project;
import io.jcompose.runtime.api.EngineApiException;
import io.jcompose.runtime.api.client.EngineClient;
import io.jcompose.runtime.api.model.ArchiveStat;
import io.jcompose.runtime.api.model.ContainerSummary;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code jcompose cp SERVICE:SRC DEST} and {@code cp SRC SERVICE:DEST}: copies between a
 * service's container and the local file system with the docker CLI's path rules ({@link LocalCopy}),
 * from the service's first container or to every one of them ({@code --index} picks one);
 * {@code -} is a tar on stdin or stdout. Each container shows {@code <name> copy ... Copying/Copied}.
 */
@Command(name = "cp", description = "Copy files/folders between a service container and the local filesystem",
        customSynopsis = {"jcompose cp [OPTIONS] SERVICE:SRC_PATH DEST_PATH|-", "       jcompose cp [OPTIONS] SRC_PATH|- SERVICE:DEST_PATH"})
public final class CpCommand implements Runnable {
    /** Go's os.ModeDir and os.ModeSymlink in the stat header. */
    private static final long MODE_DIR = 1L << 31;
    private static final long MODE_SYMLINK = 1L << 27;

    @Spec CommandSpec spec;

    @ParentCommand JcomposeCommand root;

    @Mixin IndexOption index;

    @Option(names = "--all", description = "Include containers created by the run command (deprecated)")
    boolean all;

    @Option(names = {"-L", "--follow-link"}, description = "Always follow symbol link in SRC_PATH")
    boolean followLink;

    @Option(names = {"-a", "--archive"}, description = "Archive mode (copy all uid/gid information)")
    boolean archive;

    @Parameters(index = "0", paramLabel = "SOURCE")
    String source;

    @Parameters(index = "1", paramLabel = "DESTINATION")
    String destination;

    /** {@code service:path}, or a local path (absolute, without a colon, or starting with a dot). */
    record Arg(String service, String path) {
        static Arg parse(String arg) {
            int colon = arg.indexOf(':');
            if (arg.startsWith("/") || colon < 0 || arg.substring(0, colon).startsWith(".")) {
                return new Arg("", arg);
            }
            return new Arg(arg.substring(0, colon), arg.substring(colon + 1));
        }
    }

    @Override
    public void run() {
        if (all) { // cobra's words for a deprecated flag
            ctxErr("Flag --all has been deprecated, By default all the containers of the service will get the source file/directory to be copied");
        }
        if (source.isEmpty()) {
            throw new IllegalArgumentException("source can not be empty");
        }
        if (destination.isEmpty()) {
            throw new IllegalArgumentException("destination can not be empty");
        }
        Arg src = Arg.parse(source);
        Arg dst = Arg.parse(destination);
        boolean from = !src.service().isEmpty();
        boolean to = !dst.service().isEmpty();
        ComposeContext ctx = new ComposeContext(root, spec);
        ComposeContext.oneLine(() -> {
            if (from && to) {
                throw new IllegalArgumentException("copying between services is not supported");
            }
            if (!from && !to) {
                throw new IllegalArgumentException("unknown copy direction");
            }
            if (from && all) {
                throw new IllegalArgumentException("cannot use the --all flag when copying from a service");
            }
            String service = from ? src.service() : dst.service();
            Project p = ctx.projectOrNull();
            List<ContainerSummary> targets = targets(ctx.client(), ctx.projectName(p), service, from);
            Progress progress = ctx.progress();
            boolean ok = false;
            progress.start("cp");
            try {
                for (ContainerSummary c : targets) {
                    String name = PsCommand.name(c);
                    String msg = from ? "copy " + name + ":" + src.path() + " to " + dst.path()
                            : "copy " + src.path() + " to " + name + ":" + dst.path();
                    progress.on(ProgressEvent.of(name, EventStatus.WORKING, msg).withDetails("Copying"));
                    try {
                        if (from) {
                            copyFrom(ctx, c.id(), src.path(), dst.path());
                        } else {
                            copyTo(ctx, c.id(), src.path(), dst.path());
                        }
                    } catch (IOException e) {
                        throw new IllegalArgumentException(e.getMessage(), e);
                    } catch (EngineApiException e) {
                        throw new IllegalArgumentException("Error response from daemon: " + e.getMessage(), e);
                    }
                    progress.on(ProgressEvent.of(name, EventStatus.DONE, msg).withDetails("Copied"));
                }
                ok = true;
            } finally {
                progress.done("cp", ok);
            }
        });
    }

    /** compose's listContainersTargetedForCopy: one by --index, else the first (from) or all (to). */
    private List<ContainerSummary> targets(EngineClient client, String project, String service, boolean from) {
        List<ContainerSummary> all = ServiceContainers.ofProject(client, project, List.of(service), true, this.all);
        if (index.index > 0) {
            return List.of(all.stream().filter(c -> !"True".equals(c.labels().get(io.jcompose.planner.engine.ComposeLabels.ONEOFF)))
                    .filter(c -> ServiceContainers.number(c) == index.index).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("service \"" + service + "\" is not running container #" + index.index)));
        }
        if (all.isEmpty()) {
            throw new IllegalArgumentException("no container found for service \"" + service + "\"");
        }
        return from ? all.subList(0, 1) : all;
    }

    private void copyFrom(ComposeContext ctx, String id, String srcPath, String dstPath) throws IOException {
        EngineClient client = ctx.client();
        String local = dstPath.equals("-") ? "-" : LocalCopy.absolute(root.invocation().workingDirectory(), dstPath);
        String rebase = null;
        if (followLink) {
            ArchiveStat stat = statOrNull(client, id, srcPath);
            if (stat != null && (stat.mode() & MODE_SYMLINK) != 0) {
                String target = stat.linkTarget();
                if (!target.startsWith("/")) {
                    target = LocalCopy.clean(LocalCopy.split(srcPath)[0] + "/" + target);
                }
                String[] r = LocalCopy.rebaseName(srcPath, target);
                srcPath = r[0];
                rebase = r[1];
            }
        }
        try (EngineClient.Archive archive = client.getArchive(id, srcPath)) {
            if (local.equals("-")) {
                OutputStream out = root.outputStream();
                archive.tar().transferTo(out);
                out.flush();
                return;
            }
            boolean isDir = archive.stat() != null && (archive.stat().mode() & MODE_DIR) != 0;
            InputStream tar = archive.tar();
            LocalCopy.Info srcInfo = new LocalCopy.Info(srcPath, true, isDir, rebase);
            if (rebase != null) {
                tar = LocalCopy.renamed(tar, LocalCopy.split(srcPath)[1], rebase);
            }
            LocalCopy.extract(tar, LocalCopy.prepare(srcInfo, LocalCopy.destination(local)));
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new UncheckedIOException(new IOException(e.getMessage(), e));
        }
    }

    private void copyTo(ComposeContext ctx, String id, String srcPath, String dstPath) throws IOException {
        EngineClient client = ctx.client();
        String dst = dstPath;
        ArchiveStat stat = statOrNull(client, id, dstPath);
        if (stat != null && (stat.mode() & MODE_SYMLINK) != 0) {
            String target = stat.linkTarget();
            if (!target.startsWith("/")) {
                target = LocalCopy.clean(LocalCopy.split(dstPath)[0] + "/" + target);
            }
            dst = target;
            stat = statOrNull(client, id, target);
        }
        LocalCopy.Info dstInfo = new LocalCopy.Info(dst, stat != null, stat != null && (stat.mode() & MODE_DIR) != 0, null);
        byte[] tar;
        String into;
        if (srcPath.equals("-")) {
            if (!dstInfo.isDir()) {
                throw new IOException("destination \"" + id + ":" + dstPath + "\" must be a directory");
            }
            tar = root.stdin().readAllBytes();
            into = dstInfo.path();
        } else {
            LocalCopy.Info srcInfo = LocalCopy.source(LocalCopy.absolute(root.invocation().workingDirectory(), srcPath), followLink);
            LocalCopy.Prepared prepared = LocalCopy.prepare(srcInfo, dstInfo);
            tar = LocalCopy.tar(srcInfo.path(), prepared.to() != null ? prepared.to() : srcInfo.rebaseName());
            into = prepared.dir();
        }
        client.putArchive(id, into, tar, true, archive);
    }

    private static ArchiveStat statOrNull(EngineClient client, String id, String path) {
        try {
            return client.statPath(id, path);
        } catch (EngineApiException e) {
            return null;
        }
    }

    private void ctxErr(String line) {
        spec.commandLine().getErr().println(line);
        spec.commandLine().getErr().flush();
    }
}
