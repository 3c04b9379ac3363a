package io.jcompose.runtime.network.netlink;

import java.net.InetAddress;

/** An interface address with its prefix length. */
public record Address(int linkIndex, InetAddress address, int prefixLength) {}
