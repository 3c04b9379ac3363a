package io.jcompose.runtime.image.build.executor;

import io.jcompose.runtime.container.ContainerEngine;
import io.jcompose.runtime.container.ContainerException;
import io.jcompose.runtime.container.ContainerIds;
import io.jcompose.runtime.container.ContainerSpec;
import io.jcompose.runtime.container.ExitStatus;
import io.jcompose.runtime.container.LogQuery;
import io.jcompose.runtime.image.unpack.OverlayAttributes;
import io.jcompose.runtime.network.dns.HostsFile;
import io.jcompose.runtime.network.netns.NetNamespace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs RUN steps in containers of our own runtime ({@link ContainerEngine} + the shim), one
 * container per step, on an overlay of the stage's layers with a fresh upper directory that
 * becomes the step's layer ({@link UpperDirLayer}).
 *
 * <p>Network: {@code default}/{@code bridge}/{@code none} give the container its own network
 * namespace with only {@code lo} up, so a build never reaches anything but itself and works
 * offline; {@code host} shares the host's network (as {@code docker build --network host}).
 * {@code /etc/hosts} is BuildKit's ({@code 127.0.0.1 localhost buildkitsandbox}), the hostname
 * {@code buildkitsandbox}, {@code /etc/resolv.conf} the host's without loopback nameservers
 * (unreachable from the namespace anyway); with {@code host} all three are the host's.
 *
 * <p>The runner's engine has its own data root (the daemon's containers never see build
 * containers); whatever happens, the container, its mounts, cgroups and namespace are removed
 * before {@link #run} returns.
 */
public final class ContainerStepRunner implements StepRunner {
  /** The network modes a build accepts ({@code docker build --network}); an empty or null mode is {@code default}. */
  public static final java.util.Set<String> NETWORK_MODES = java.util.Set.of("default", "bridge", "none", "host");

  /** BuildKit's hostname for build containers. */
  static final String HOSTNAME = "buildkitsandbox";

  /** Files and directories the runtime mounts over: created (or copied up) in the upper dir by the shim. */
  private static final List<String> MOUNT_FILES = List.of("etc/hosts", "etc/hostname", "etc/resolv.conf");
  private static final List<String> MOUNT_DIRS = List.of("proc", "sys", "dev");

  private final ContainerEngine engine;
  private final Path workDir;

  /**
   * @param engine a container engine on a data root of the builder's own
   * @param workDir where per-step files (hosts, resolv.conf, an empty lower for scratch) go
   */
  public ContainerStepRunner(ContainerEngine engine, Path workDir) throws IOException {
    this.engine = engine;
    this.workDir = workDir;
    Files.createDirectories(workDir);
  }

  /** Removes build containers a killed daemon left behind (call once at start-up). */
  public void sweep() throws IOException {
    for (String id : engine.list()) {
      try {
        engine.remove(id, true);
      } catch (IOException | RuntimeException e) {
        org.slf4j.LoggerFactory.getLogger(ContainerStepRunner.class)
            .warn("removing stale build container {}: {}", id, e.toString());
      }
      NetNamespace.delete(NetNamespace.pathFor(id));
    }
  }

  @Override
  public LayerBlob run(Step.Run step, List<Path> lowerDirs, String network, Output output, Path out)
      throws IOException {
    String id = ContainerIds.newId();
    Path etc = workDir.resolve(id.substring(0, 12));
    Files.createDirectories(etc);
    List<Path> lowers = lowerDirs;
    if (lowers.isEmpty()) {
      lowers = List.of(Files.createDirectories(etc.resolve("empty")));
    }
    boolean host = network != null && network.equals("host");
    Path netns = null;
    boolean created = false;
    try {
      ContainerSpec.NamespaceMode netMode;
      if (host) {
        netMode = new ContainerSpec.NamespaceMode.Host();
      } else {
        checkNetwork(network);
        netns = NetNamespace.pathFor(id);
        NetNamespace.create(netns);
        netMode = new ContainerSpec.NamespaceMode.Join(netns);
      }
      ContainerSpec.EtcFiles files = etcFiles(etc, host);
      ContainerSpec spec = ContainerSpec.builder(lowers)
          .command(step.argv())
          .env(step.env())
          .workingDir(step.workingDir())
          .user(step.user() == null || step.user().isEmpty() ? null : step.user())
          .hostname(host ? null : HOSTNAME)
          .network(netMode)
          .etcFiles(files)
          .build();
      engine.create(id, spec);
      created = true;
      output.started(id);
      try {
        engine.start(id);
      } catch (ContainerException e) {
        throw new StepFailedException(step.argv(), e.exitCode(), e.getMessage());
      }
      engine.logs(id, LogQuery.ALL.withFollow(true), r -> {
        output.text(r.line(), r.stream().equals("stderr"));
        return true;
      });
      ExitStatus exit = engine.waitExit(id);
      if (exit.exitCode() != 0) {
        throw new StepFailedException(step.argv(), exit.exitCode(), null);
      }
      Path upper = engine.upperDir(id);
      dropRuntimeMountPoints(upper, lowers);
      return UpperDirLayer.write(upper, out);
    } finally {
      try {
        if (created) {
          engine.remove(id, true);
        }
      } finally {
        if (netns != null) {
          NetNamespace.delete(netns);
        }
        deleteTree(etc);
      }
    }
  }

  private static void checkNetwork(String network) {
    if (network == null || network.isEmpty() || NETWORK_MODES.contains(network)) {
      return;
    }
    throw new IllegalArgumentException("network mode \"" + network
        + "\" is not supported for builds (use default, none or host)");
  }

  private static ContainerSpec.EtcFiles etcFiles(Path dir, boolean host) throws IOException {
    Path hosts = dir.resolve("hosts"), hostname = dir.resolve("hostname"), resolv = dir.resolve("resolv.conf");
    String hostResolv = Files.exists(Path.of("/etc/resolv.conf")) ? Files.readString(Path.of("/etc/resolv.conf")) : "";
    if (host) {
      Files.writeString(hosts, Files.exists(Path.of("/etc/hosts")) ? Files.readString(Path.of("/etc/hosts")) : "");
      Files.writeString(hostname, Files.readString(Path.of("/proc/sys/kernel/hostname")));
      Files.writeString(resolv, hostResolv);
    } else {
      String local = HostsFile.render(HOSTNAME, null, List.of(), List.of(), true)
          .replaceFirst("127\\.0\\.0\\.1\tlocalhost\n", "127.0.0.1\tlocalhost " + HOSTNAME + "\n");
      Files.writeString(hosts, local);
      Files.writeString(hostname, HOSTNAME + "\n");
      Files.writeString(resolv, withoutLoopbackNameservers(hostResolv));
    }
    return new ContainerSpec.EtcFiles(hosts, hostname, resolv);
  }

  /** Docker drops loopback nameservers from a copied resolv.conf: they are the host's, not the container's. */
  static String withoutLoopbackNameservers(String resolvConf) {
    StringBuilder b = new StringBuilder();
    for (String line : resolvConf.split("\n", -1)) {
      String t = line.strip();
      if (t.startsWith("nameserver") && t.split("\\s+").length > 1) {
        String addr = t.split("\\s+")[1];
        if (addr.startsWith("127.") || addr.equals("::1")) {
          continue;
        }
      }
      b.append(line).append('\n');
    }
    return b.toString().replaceAll("\n+$", "\n");
  }

  /**
   * Takes out of the upper dir what only the runtime put there: the files bind-mounted at
   * /etc/hosts, /etc/hostname, /etc/resolv.conf (created or copied up by the shim; a RUN cannot
   * change them, its writes go to the mounted file), empty mount-point directories /proc, /sys,
   * /dev, and /etc itself when that leaves it an empty copy of the lower one. Docker keeps the
   * same things in its "-init" layer, outside the image.
   */
  static void dropRuntimeMountPoints(Path upper, List<Path> lowers) throws IOException {
    for (String f : MOUNT_FILES) {
      Path p = upper.resolve(f);
      if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
        Files.delete(p);
      }
    }
    for (String d : MOUNT_DIRS) {
      removeIfCopyOrNew(upper.resolve(d), d, lowers);
    }
    removeIfCopyOrNew(upper.resolve("etc"), "etc", lowers);
  }

  /** Deletes an empty, non-opaque upper dir that the lower has with the same owner and mode, or that it lacks. */
  private static void removeIfCopyOrNew(Path dir, String rel, List<Path> lowers) throws IOException {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS) || OverlayAttributes.isOpaque(dir)) {
      return;
    }
    try (Stream<Path> s = Files.list(dir)) {
      if (s.findAny().isPresent()) {
        return;
      }
    }
    Path lower = lowers.stream().map(l -> l.resolve(rel))
        .filter(p -> Files.exists(p, LinkOption.NOFOLLOW_LINKS)).findFirst().orElse(null);
    if (lower == null || sameOwnerAndMode(dir, lower)) {
      Files.delete(dir);
    }
  }

  private static boolean sameOwnerAndMode(Path a, Path b) throws IOException {
    Map<String, Object> x = Files.readAttributes(a, "unix:mode,uid,gid", LinkOption.NOFOLLOW_LINKS);
    Map<String, Object> y = Files.readAttributes(b, "unix:mode,uid,gid", LinkOption.NOFOLLOW_LINKS);
    return x.equals(y);
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
