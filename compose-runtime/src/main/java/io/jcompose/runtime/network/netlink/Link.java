package io.jcompose.runtime.network.netlink;

/**
 * A network interface as the kernel reports it.
 *
 * @param kind the rtnetlink link kind ({@code bridge}, {@code veth}, ...) or empty for none
 * @param master index of the bridge this link is enslaved to, 0 when none
 */
public record Link(int index, String name, int mtu, String mac, boolean up, int master, String kind) {}
