package io.jcompose.runtime.network.dns;

import java.util.List;

/**
 * The container's {@code /etc/hosts} as Docker writes it for a non-host network
 * (RUNTIME-FACTS §3): localhost lines (IPv6 ones unless IPv6 is disabled), then
 * {@code extra_hosts}, then one line per interface address for the hostname. TAB separated.
 * Container names and aliases are not listed (the embedded DNS serves them).
 */
public final class HostsFile {
    private HostsFile() {}

    /** One {@code extra_hosts} entry: {@code host:ip}. */
    public record ExtraHost(String name, String ip) {}

    /**
     * @param hostname the container's hostname (the 12-char short id by default)
     * @param domainname its domain, or null/empty
     * @param addresses the container's interface addresses, in attach order
     */
    public static String render(String hostname, String domainname, List<String> addresses, List<ExtraHost> extraHosts,
            boolean ipv6Enabled) {
        StringBuilder b = new StringBuilder("127.0.0.1\tlocalhost\n");
        if (ipv6Enabled) {
            b.append("::1\tlocalhost ip6-localhost ip6-loopback\n")
                    .append("fe00::\tip6-localnet\n")
                    .append("ff00::\tip6-mcastprefix\n")
                    .append("ff02::1\tip6-allnodes\n")
                    .append("ff02::2\tip6-allrouters\n");
        }
        for (ExtraHost h : extraHosts) b.append(h.ip()).append('\t').append(h.name()).append('\n');
        String names = domainname == null || domainname.isEmpty() ? hostname : hostname + "." + domainname + " " + hostname;
        for (String a : addresses) b.append(a).append('\t').append(names).append('\n');
        return b.toString();
    }
}
