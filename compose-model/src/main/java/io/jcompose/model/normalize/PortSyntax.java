package io.jcompose.model.normalize;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

/**
 * Parses the short port syntax {@code [[IP:]HOST[-HOST]:]CONTAINER[-CONTAINER][/PROTOCOL]} into
 * one long-form entry per container port, with Docker's rules (a host range with a single
 * container port stays a range; entries are ordered by {@code port/proto} as text).
 */
public final class PortSyntax {
  private PortSyntax() {}

  /**
   * One parsed entry.
   *
   * @param hostIp host address or empty
   * @param target container port
   * @param published host port or range, or empty
   * @param protocol lower-case protocol
   */
  public record Entry(String hostIp, int target, String published, String protocol) {}

  /**
   * Parses a port spec.
   *
   * @throws IllegalArgumentException with a short reason when the spec is invalid
   */
  public static List<Entry> parse(String raw) {
    String[] parts = raw.split(":", -1);
    int n = parts.length;
    String container = parts[n - 1];
    String host = "";
    String ip = "";
    if (n == 2) {
      host = parts[0];
    } else if (n == 3) {
      ip = parts[0];
      host = parts[1];
    } else if (n > 3) {
      ip = String.join(":", java.util.Arrays.copyOfRange(parts, 0, n - 2));
      host = parts[n - 2];
    }
    String proto = "tcp";
    int slash = container.indexOf('/');
    if (container.isEmpty() || slash == 0) {
      container = "";
    } else if (slash > 0) {
      String p = container.substring(slash + 1);
      container = container.substring(0, slash);
      if (p.contains("/")) {
        p = p.substring(0, p.indexOf('/'));
      }
      if (!p.isEmpty()) {
        proto = p;
      }
    }
    if (!ip.isEmpty() && ip.charAt(0) == '[') {
      if (!ip.endsWith("]")) {
        throw new IllegalArgumentException("invalid IP address " + ip);
      }
      ip = ip.substring(1, ip.length() - 1);
    } else if (ip.indexOf(':') >= 0) {
      throw new IllegalArgumentException("invalid IP address " + ip + " (write an IPv6 address in brackets: [" + ip + "])");
    }
    if (!ip.isEmpty() && !isIp(ip)) {
      throw new IllegalArgumentException("invalid IP address: " + ip);
    }
    if (container.isEmpty()) {
      throw new IllegalArgumentException("no port specified");
    }
    long[] c = range(container, "invalid containerPort: " + container);
    long[] h = null;
    if (!host.isEmpty()) {
      h = range(host, "invalid hostPort: " + host);
    }
    if (h != null && (c[1] - c[0]) != (h[1] - h[0]) && c[1] != c[0]) {
      throw new IllegalArgumentException("invalid ranges specified for container and host ports: " + container + " and " + host);
    }
    proto = proto.toLowerCase(Locale.ROOT);
    if (!proto.equals("tcp") && !proto.equals("udp") && !proto.equals("sctp")) {
      throw new IllegalArgumentException("invalid protocol: " + proto);
    }
    TreeMap<String, Entry> byKey = new TreeMap<>();
    for (long i = 0; i <= c[1] - c[0]; i++) {
      String published = "";
      if (h != null) {
        published = Long.toString(h[0] + i);
        if (c[0] == c[1] && h[0] != h[1]) {
          published = published + "-" + h[1];
        }
      }
      int target = (int) (c[0] + i);
      byKey.put(target + "/" + proto, new Entry(ip, target, published, proto));
    }
    return new ArrayList<>(byKey.values());
  }

  private static long[] range(String s, String error) {
    try {
      int dash = s.indexOf('-');
      if (dash < 0) {
        long v = port(s);
        return new long[] {v, v};
      }
      long a = port(s.substring(0, dash));
      long b = port(s.substring(dash + 1));
      if (b < a) {
        throw new IllegalArgumentException(error);
      }
      return new long[] {a, b};
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(error);
    }
  }

  private static long port(String s) {
    if (s.isEmpty() || !s.chars().allMatch(Character::isDigit)) {
      throw new NumberFormatException(s);
    }
    long v = Long.parseLong(s.length() > 6 ? "999999" : s);
    if (v > 65535) {
      throw new NumberFormatException(s);
    }
    return v;
  }

  /** Whether the text is a literal IPv4 or IPv6 address (no name lookup). */
  static boolean isIp(String s) {
    if (s.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
      for (String p : s.split("\\.")) {
        if (Integer.parseInt(p) > 255) {
          return false;
        }
      }
      return true;
    }
    if (s.indexOf(':') >= 0 && s.matches("[0-9a-fA-F:.]+")) {
      try {
        // a literal with ':' is never resolved through DNS by InetAddress
        return InetAddress.ofLiteral(s) != null;
      } catch (IllegalArgumentException e) {
        return false;
      }
    }
    return false;
  }
}
