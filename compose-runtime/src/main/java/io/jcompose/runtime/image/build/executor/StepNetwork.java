package io.jcompose.runtime.image.build.executor;

import io.jcompose.runtime.network.netns.NetNamespace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * Where a RUN step's container gets its network, per build network mode ({@code docker build
 * --network}, compose {@code build.network}, {@code RUN --network}). Every mode but {@code host}
 * puts the step in a namespace of its own at {@link NetNamespace#pathFor}{@code (containerId)};
 * {@code host} shares the host's. The daemon's implementation ({@code engine.BuildNetworks})
 * gives {@code default}/{@code bridge} a NATed endpoint on the engine's default bridge network,
 * as BuildKit in dockerd does; {@link #isolated()} only ever gives loopback.
 */
public interface StepNetwork {

  /** The modes a build accepts; an empty or null mode is {@code default}. */
  Set<String> MODES = Set.of("default", "bridge", "none", "host");

  /**
   * Sets up the network of step container {@code containerId} in {@code mode}: for every mode
   * but {@code host} the namespace at {@link NetNamespace#pathFor}{@code (containerId)} exists
   * afterwards. Nothing is left behind when it throws.
   *
   * @return the content of the step's {@code /etc/resolv.conf}
   */
  String attach(String containerId, String mode) throws IOException;

  /**
   * Undoes {@link #attach} (veth, addresses, namespace, DNS); also for a container whose attach
   * never happened or that a killed daemon left. Never throws for what is already gone.
   */
  void release(String containerId);

  /**
   * Every mode but {@code host} gets a namespace with only {@code lo}: for a runner without an
   * engine's networks (tests of the layers, offline builders). {@code resolv.conf} is the
   * host's without loopback nameservers, as Docker copies it.
   */
  static StepNetwork isolated() {
    return new StepNetwork() {
      @Override
      public String attach(String containerId, String mode) throws IOException {
        String host = hostResolvConf();
        if (mode.equals("host")) {
          return host;
        }
        NetNamespace.create(NetNamespace.pathFor(containerId));
        return withoutLoopbackNameservers(host);
      }

      @Override
      public void release(String containerId) {
        NetNamespace.delete(NetNamespace.pathFor(containerId));
      }
    };
  }

  /** The host's {@code /etc/resolv.conf}, empty when it has none. */
  static String hostResolvConf() throws IOException {
    Path p = Path.of("/etc/resolv.conf");
    return Files.exists(p) ? Files.readString(p) : "";
  }

  /** Docker drops loopback nameservers from a copied resolv.conf: they are the host's, not the container's. */
  static String withoutLoopbackNameservers(String resolvConf) {
    StringBuilder b = new StringBuilder();
    for (String line : resolvConf.split("\n", -1)) {
      String[] words = line.strip().split("\\s+");
      if (words.length > 1 && words[0].equals("nameserver")
          && (words[1].startsWith("127.") || words[1].equals("::1"))) {
        continue;
      }
      b.append(line).append('\n');
    }
    return b.toString().replaceAll("\n+$", "\n");
  }
}
