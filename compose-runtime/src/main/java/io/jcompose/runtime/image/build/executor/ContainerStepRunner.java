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
 * <p>Network: what {@link StepNetwork} gives the mode; on the daemon {@code default} is a NATed
 * endpoint on the engine's default bridge, as BuildKit's default in dockerd. {@code /etc/hosts}
 * is BuildKit's ({@code 127.0.0.1 localhost buildkitsandbox}), the hostname
 * {@code buildkitsandbox}, {@code /etc/resolv.conf} the network's; with {@code host} all three
 * are the host's.
 *
 * <p>Confinement: a step container is created as any container with Docker's defaults — the 14
 * default capabilities, Docker's default seccomp profile, masked and read-only /proc paths —
 * and its cgroup is {@code <engine parent>/<id>}, so it is accounted and killed with the
 * engine's; {@link RunOptions} adds the build's memory/cpu limits, /dev/shm size, ulimits and
 * extra hosts.
 *
 * <p>The runner's engine has its own data root (the daemon's containers never see build
 * containers); whatever happens, the container, its mounts, cgroups and network are removed
 * before {@link #run} returns. {@link #cancel} kills the steps running now (a client that left),
 * {@link #close} all of them (the daemon goes down).
 */
public final class ContainerStepRunner implements StepRunner {
  /** The network modes a build accepts ({@code docker build --network}); an empty or null mode is {@code default}. */
  public static final java.util.Set<String> NETWORK_MODES = StepNetwork.MODES;

  /** BuildKit's hostname for build containers. */
  static final String HOSTNAME = "buildkitsandbox";

  /** Files and directories the runtime mounts over: created (or copied up) in the upper dir by the shim. */
  private static final List<String> MOUNT_FILES = List.of("etc/hosts", "etc/hostname", "etc/resolv.conf");
  private static final List<String> MOUNT_DIRS = List.of("proc", "sys", "dev");

  private final ContainerEngine engine;
  private final Path workDir;
  private final StepNetwork network;
  /** Containers of steps running now, and those of them {@link #cancel} was called for. */
  private final java.util.Set<String> running = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final java.util.Set<String> cancelled = java.util.concurrent.ConcurrentHashMap.newKeySet();

  /**
   * @param engine a container engine on a data root of the builder's own
   * @param workDir where per-step files (hosts, resolv.conf, an empty lower for scratch) go
   * @param network the steps' networks ({@link StepNetwork#isolated()} without an engine's)
   */
  public ContainerStepRunner(ContainerEngine engine, Path workDir, StepNetwork network) throws IOException {
    this.engine = engine;
    this.workDir = workDir;
    this.network = network;
    Files.createDirectories(workDir);
  }

  /**
   * Removes build containers a killed daemon left behind, and the networks of steps whose
   * directory under the work dir is still there (it goes last, after the network), also when
   * their container was already gone (call once at start-up).
   */
  public void sweep() throws IOException {
    for (String id : engine.list()) {
      try {
        engine.remove(id, true);
      } catch (IOException | RuntimeException e) {
        org.slf4j.LoggerFactory.getLogger(ContainerStepRunner.class)
            .warn("removing stale build container {}: {}", id, e.toString());
      }
      network.release(id);
    }
    try (Stream<Path> dirs = Files.list(workDir)) {
      for (Path dir : dirs.toList()) {
        String id = dir.getFileName().toString();
        if (id.matches("[0-9a-f]{64}")) {
          network.release(id);
        }
        deleteTree(dir);
      }
    }
  }

  /**
   * Kills every running step and waits (at most {@code timeout}) until they have cleaned up:
   * for a daemon going down, before the networks they use close.
   */
  public void close(java.time.Duration timeout) throws InterruptedException {
    cancel(List.copyOf(running));
    long end = System.nanoTime() + timeout.toNanos();
    synchronized (running) {
      while (!running.isEmpty() && System.nanoTime() < end) {
        running.wait(Math.max(1, (end - System.nanoTime()) / 1_000_000));
      }
    }
  }

  /**
   * Kills the given step containers if they still run (SIGKILL): their {@link #run} then fails
   * and cleans up as for any failing step. For a build whose client went away.
   */
  public void cancel(java.util.Collection<String> containerIds) {
    for (String id : containerIds) {
      if (running.contains(id)) {
        cancelled.add(id); // a step still being set up stops before its start
        kill(id);
      }
    }
  }

  private void kill(String id) {
    try {
      engine.kill(id, io.jcompose.runtime.container.Signals.SIGKILL);
    } catch (IOException | RuntimeException e) {
      // not started yet (run() kills it after the start) or ended meanwhile
    }
  }

  @Override
  public LayerBlob run(Step.Run step, List<Path> lowerDirs, String mode, RunOptions options, Output output, Path out)
      throws IOException {
    mode = mode == null || mode.isEmpty() ? "default" : mode;
    checkNetwork(mode);
    String id = ContainerIds.newId();
    running.add(id); // from here on: close() waits for this step, cancel() stops it
    Path etc = workDir.resolve(id); // removed last: while it exists, sweep() releases the step's network
    List<Path> lowers = lowerDirs;
    boolean host = mode.equals("host");
    boolean created = false;
    try {
      Files.createDirectories(etc);
      ContainerSpec.EtcFiles files = new ContainerSpec.EtcFiles(etc.resolve("hosts"), etc.resolve("hostname"),
          etc.resolve("resolv.conf"));
      if (lowers.isEmpty()) {
        lowers = List.of(Files.createDirectories(etc.resolve("empty")));
      }
      ContainerSpec spec = ContainerSpec.builder(lowers)
          .command(step.argv())
          .env(step.env())
          .workingDir(step.workingDir())
          .user(step.user() == null || step.user().isEmpty() ? null : step.user())
          .hostname(host ? null : HOSTNAME)
          .network(host ? new ContainerSpec.NamespaceMode.Host()
              : new ContainerSpec.NamespaceMode.Join(NetNamespace.pathFor(id)))
          .resources(options.resources())
          .shmSize(options.shmSize())
          .ulimits(options.ulimits())
          .etcFiles(files)
          .build();
      // recorded before its network exists, so that sweep() finds both after a crash
      engine.create(id, spec);
      created = true;
      writeEtcFiles(files, host, options.extraHosts(), network.attach(id, mode));
      output.started(id);
      if (cancelled.contains(id)) {
        throw new StepFailedException(step.argv(), 137, "the build was cancelled");
      }
      try {
        engine.start(id);
      } catch (ContainerException e) {
        throw new StepFailedException(step.argv(), e.exitCode(), e.getMessage());
      }
      if (cancelled.contains(id)) {
        kill(id); // cancelled between its creation and its start
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
        try {
          if (created) {
            network.release(id);
          }
        } finally {
          try {
            deleteTree(etc);
          } finally {
            cancelled.remove(id);
            synchronized (running) {
              running.remove(id);
              running.notifyAll();
            }
          }
        }
      }
    }
  }

  private static void checkNetwork(String network) {
    if (NETWORK_MODES.contains(network)) {
      return;
    }
    throw new IllegalArgumentException("network mode \"" + network
        + "\" is not supported for builds (use default, none or host)");
  }

  private static void writeEtcFiles(ContainerSpec.EtcFiles files, boolean host, List<HostsFile.ExtraHost> extraHosts,
      String resolvConf) throws IOException {
    if (host) {
      StringBuilder hosts = new StringBuilder(Files.exists(Path.of("/etc/hosts")) ? Files.readString(Path.of("/etc/hosts")) : "");
      if (!hosts.isEmpty() && hosts.charAt(hosts.length() - 1) != '\n') {
        hosts.append('\n');
      }
      extraHosts.forEach(h -> hosts.append(h.ip()).append('\t').append(h.name()).append('\n'));
      Files.writeString(files.hosts(), hosts);
      Files.writeString(files.hostname(), Files.readString(Path.of("/proc/sys/kernel/hostname")));
    } else {
      String local = HostsFile.render(HOSTNAME, null, List.of(), extraHosts, true)
          .replaceFirst("127\\.0\\.0\\.1\tlocalhost\n", "127.0.0.1\tlocalhost " + HOSTNAME + "\n");
      Files.writeString(files.hosts(), local);
      Files.writeString(files.hostname(), HOSTNAME + "\n");
    }
    Files.writeString(files.resolvConf(), resolvConf);
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
