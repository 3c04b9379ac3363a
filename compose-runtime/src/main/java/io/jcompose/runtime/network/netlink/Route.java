package io.jcompose.runtime.network.netlink;

import java.net.InetAddress;

/**
 * A route of the main table.
 *
 * @param destination null for a default route
 * @param gateway null for a directly connected route
 */
public record Route(InetAddress destination, int prefixLength, InetAddress gateway, int outputIndex) {}
