package io.jcompose.runtime.network.netlink;

import io.jcompose.runtime.sys.Errno;
import io.jcompose.runtime.sys.Libc;
import io.jcompose.runtime.sys.OffCarrier;
import io.jcompose.runtime.sys.SyscallException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;

/**
 * A small rtnetlink client (NETLINK_ROUTE) over the FFM API: links, bridges, veth pairs,
 * addresses and routes, one request and its acknowledgement at a time.
 *
 * <p>A socket belongs to the network namespace of the thread that opened it, and keeps working
 * there from any thread: open one inside a namespace with
 * {@code NetNamespace.call(ns, RtNetlink::open)} to configure that namespace.
 * Instances are thread-safe (requests are serialised).
 */
public final class RtNetlink implements AutoCloseable {
    // message types
    private static final int NLMSG_ERROR = 2, NLMSG_DONE = 3;
    private static final int RTM_NEWLINK = 16, RTM_DELLINK = 17, RTM_GETLINK = 18, RTM_SETLINK = 19;
    private static final int RTM_NEWADDR = 20, RTM_DELADDR = 21, RTM_GETADDR = 22;
    private static final int RTM_NEWROUTE = 24, RTM_GETROUTE = 26;
    // flags
    private static final int F_REQUEST = 1, F_MULTI = 2, F_ACK = 4, F_DUMP = 0x300, F_EXCL = 0x200,
            F_CREATE = 0x400, F_REPLACE = 0x100, F_ACK_TLVS = 0x200;
    // link attributes
    private static final int IFLA_ADDRESS = 1, IFLA_IFNAME = 3, IFLA_MTU = 4, IFLA_MASTER = 10,
            IFLA_LINKINFO = 18, IFLA_NET_NS_FD = 28, IFLA_INFO_KIND = 1, IFLA_INFO_DATA = 2, VETH_INFO_PEER = 1;
    private static final int IFA_ADDRESS = 1, IFA_LOCAL = 2, IFA_F_NODAD = 0x02;
    private static final int RTA_DST = 1, RTA_OIF = 4, RTA_GATEWAY = 5, RTA_TABLE = 15;
    private static final int AF_UNSPEC = 0, AF_INET = 2, AF_INET6 = 10;
    private static final int IFF_UP = 1;
    private static final int RT_TABLE_MAIN = 254, RTPROT_STATIC = 4, RT_SCOPE_UNIVERSE = 0, RTN_UNICAST = 1;
    private static final int NLMSGERR_ATTR_MSG = 1;

    private final int fd;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment rx = arena.allocate(1 << 16, 8);
    private final MemorySegment tx = arena.allocate(1 << 16, 8);
    private int seq = (int) (System.nanoTime() & 0x7fffffff);
    private boolean closed;

    private RtNetlink(int fd) {
        this.fd = fd;
    }

    /** Opens a socket in the calling thread's network namespace. */
    public static RtNetlink open() {
        return new RtNetlink(Libc.netlinkSocket(Libc.NETLINK_ROUTE));
    }

    // ---------------------------------------------------------------- links

    /** Creates a bridge, brought up at once. Fails with EEXIST if the name is taken. */
    public synchronized void createBridge(String name, int mtu) {
        NlMessage m = new NlMessage(RTM_NEWLINK, F_REQUEST | F_ACK | F_CREATE | F_EXCL)
                .ifinfo(AF_UNSPEC, 0, IFF_UP, IFF_UP).attrString(IFLA_IFNAME, name);
        if (mtu > 0) m.attrInt(IFLA_MTU, mtu);
        m.beginNest(IFLA_LINKINFO).attrString(IFLA_INFO_KIND, "bridge").endNest();
        ack(m, "create bridge " + name);
    }

    /**
     * Creates a veth pair. The host side is created up, optionally enslaved to {@code masterIndex};
     * the peer is created directly inside the namespace {@code peerNetnsFd} (-1: this namespace)
     * under {@code peerName}, optionally with a fixed MAC.
     */
    public synchronized void createVeth(String name, String peerName, int mtu, int masterIndex, int peerNetnsFd,
            String peerMac) {
        NlMessage m = new NlMessage(RTM_NEWLINK, F_REQUEST | F_ACK | F_CREATE | F_EXCL)
                .ifinfo(AF_UNSPEC, 0, IFF_UP, IFF_UP).attrString(IFLA_IFNAME, name);
        if (mtu > 0) m.attrInt(IFLA_MTU, mtu);
        if (masterIndex > 0) m.attrInt(IFLA_MASTER, masterIndex);
        m.beginNest(IFLA_LINKINFO).attrString(IFLA_INFO_KIND, "veth").beginNest(IFLA_INFO_DATA)
                .beginNest(VETH_INFO_PEER).ifinfo(AF_UNSPEC, 0, 0, 0).attrString(IFLA_IFNAME, peerName);
        if (mtu > 0) m.attrInt(IFLA_MTU, mtu);
        if (peerNetnsFd >= 0) m.attrInt(IFLA_NET_NS_FD, peerNetnsFd);
        if (peerMac != null) m.attr(IFLA_ADDRESS, parseMac(peerMac));
        m.endNest().endNest().endNest();
        ack(m, "create veth " + name + "/" + peerName);
    }

    /** Deletes a link (deleting one end of a veth pair deletes both). */
    public synchronized void deleteLink(String name) {
        ack(new NlMessage(RTM_DELLINK, F_REQUEST | F_ACK).ifinfo(AF_UNSPEC, 0, 0, 0).attrString(IFLA_IFNAME, name),
                "delete link " + name);
    }

    /** Deletes a link if it exists; returns whether it did. */
    public boolean deleteLinkIfExists(String name) {
        try {
            deleteLink(name);
            return true;
        } catch (SyscallException e) {
            if (e.errno() == Errno.ENODEV || e.errno() == Errno.ENOENT) return false;
            throw e;
        }
    }

    public synchronized void setUp(int index, boolean up) {
        ack(new NlMessage(RTM_NEWLINK, F_REQUEST | F_ACK).ifinfo(AF_UNSPEC, index, up ? IFF_UP : 0, IFF_UP),
                "set link " + index + (up ? " up" : " down"));
    }

    public synchronized void setMtu(int index, int mtu) {
        ack(new NlMessage(RTM_NEWLINK, F_REQUEST | F_ACK).ifinfo(AF_UNSPEC, index, 0, 0).attrInt(IFLA_MTU, mtu),
                "set mtu " + mtu + " on link " + index);
    }

    /** Sets the hardware address, written {@code 02:42:ac:12:00:02}. */
    public synchronized void setMac(int index, String mac) {
        ack(new NlMessage(RTM_NEWLINK, F_REQUEST | F_ACK).ifinfo(AF_UNSPEC, index, 0, 0).attr(IFLA_ADDRESS, parseMac(mac)),
                "set mac " + mac + " on link " + index);
    }

    /** Renames a link; the link must be down. */
    public synchronized void rename(int index, String newName) {
        ack(new NlMessage(RTM_NEWLINK, F_REQUEST | F_ACK).ifinfo(AF_UNSPEC, index, 0, 0).attrString(IFLA_IFNAME, newName),
                "rename link " + index + " to " + newName);
    }

    /** Enslaves a link to a bridge (0 releases it). */
    public synchronized void setMaster(int index, int masterIndex) {
        ack(new NlMessage(RTM_NEWLINK, F_REQUEST | F_ACK).ifinfo(AF_UNSPEC, index, 0, 0).attrInt(IFLA_MASTER, masterIndex),
                "set master of link " + index);
    }

    /** Moves a link into the network namespace open as {@code netnsFd}. */
    public synchronized void moveToNetns(int index, int netnsFd) {
        ack(new NlMessage(RTM_NEWLINK, F_REQUEST | F_ACK).ifinfo(AF_UNSPEC, index, 0, 0).attrInt(IFLA_NET_NS_FD, netnsFd),
                "move link " + index + " to netns");
    }

    /** The link with this name; throws with ENODEV if there is none. */
    public synchronized Link link(String name) {
        List<Link> l = request(new NlMessage(RTM_GETLINK, F_REQUEST).ifinfo(AF_UNSPEC, 0, 0, 0)
                .attrString(IFLA_IFNAME, name), RTM_NEWLINK, RtNetlink::parseLink, "get link " + name);
        if (l.isEmpty()) throw new SyscallException("get link " + name, Errno.ENODEV);
        return l.getFirst();
    }

    public boolean linkExists(String name) {
        try {
            link(name);
            return true;
        } catch (SyscallException e) {
            if (e.errno() == Errno.ENODEV) return false;
            throw e;
        }
    }

    public synchronized List<Link> links() {
        return request(new NlMessage(RTM_GETLINK, F_REQUEST | F_DUMP).ifinfo(AF_UNSPEC, 0, 0, 0),
                RTM_NEWLINK, RtNetlink::parseLink, "list links");
    }

    // ---------------------------------------------------------------- addresses and routes

    /** Adds an address (IPv6 without duplicate address detection, so it is usable at once). */
    public synchronized void addAddress(int index, InetAddress address, int prefixLength) {
        boolean v4 = address instanceof Inet4Address;
        NlMessage m = new NlMessage(RTM_NEWADDR, F_REQUEST | F_ACK | F_CREATE | F_EXCL)
                .ifaddr(v4 ? AF_INET : AF_INET6, prefixLength, v4 ? 0 : IFA_F_NODAD, RT_SCOPE_UNIVERSE, index)
                .attr(IFA_LOCAL, address.getAddress()).attr(IFA_ADDRESS, address.getAddress());
        ack(m, "add address " + address.getHostAddress() + "/" + prefixLength + " to link " + index);
    }

    public synchronized void deleteAddress(int index, InetAddress address, int prefixLength) {
        boolean v4 = address instanceof Inet4Address;
        ack(new NlMessage(RTM_DELADDR, F_REQUEST | F_ACK)
                .ifaddr(v4 ? AF_INET : AF_INET6, prefixLength, 0, RT_SCOPE_UNIVERSE, index)
                .attr(IFA_LOCAL, address.getAddress()).attr(IFA_ADDRESS, address.getAddress()),
                "delete address " + address.getHostAddress());
    }

    public synchronized List<Address> addresses() {
        List<Address> out = new ArrayList<>();
        out.addAll(request(new NlMessage(RTM_GETADDR, F_REQUEST | F_DUMP).ifaddr(AF_UNSPEC, 0, 0, 0, 0),
                RTM_NEWADDR, RtNetlink::parseAddress, "list addresses"));
        return out;
    }

    /** Adds a default route through {@code gateway} (the family follows the gateway). */
    public synchronized void addDefaultRoute(InetAddress gateway, int outputIndex) {
        boolean v4 = gateway instanceof Inet4Address;
        NlMessage m = new NlMessage(RTM_NEWROUTE, F_REQUEST | F_ACK | F_CREATE | F_EXCL)
                .rtmsg(v4 ? AF_INET : AF_INET6, 0, RT_TABLE_MAIN, RTPROT_STATIC, RT_SCOPE_UNIVERSE, RTN_UNICAST)
                .attr(RTA_GATEWAY, gateway.getAddress());
        if (outputIndex > 0) m.attrInt(RTA_OIF, outputIndex);
        ack(m, "add default route via " + gateway.getHostAddress());
    }

    /** Routes of the main table, both families. */
    public synchronized List<Route> routes() {
        return request(new NlMessage(RTM_GETROUTE, F_REQUEST | F_DUMP).rtmsg(AF_UNSPEC, 0, 0, 0, 0, 0),
                RTM_NEWROUTE, RtNetlink::parseRoute, "list routes").stream().filter(r -> r != null).toList();
    }

    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        Libc.close(fd);
        arena.close();
    }

    // ---------------------------------------------------------------- wire

    private void send(NlMessage m, int s) {
        byte[] bytes = m.finish(s);
        MemorySegment.copy(bytes, 0, tx, ValueLayout.JAVA_BYTE, 0, bytes.length);
        Libc.send(fd, tx, bytes.length);
    }

    private void ack(NlMessage m, String what) {
        request(m, -1, b -> null, what);
    }

    /**
     * Sends a request with NLM_F_ACK and collects replies of {@code replyType} until the ack
     * (or NLMSG_DONE for dumps). An error reply becomes a {@link SyscallException}.
     */
    private <T> List<T> request(NlMessage m, int replyType, Function<ByteBuffer, T> parser, String what) {
        if (closed) throw new IllegalStateException("netlink socket closed");
        // the kernel does the work in send() and answers in recv(), both may wait (rtnl lock, RCU):
        // not on a virtual thread's carrier (OffCarrier)
        return OffCarrier.get(() -> exchange(m, replyType, parser, what));
    }

    private <T> List<T> exchange(NlMessage m, int replyType, Function<ByteBuffer, T> parser, String what) {
        int s = ++seq;
        send(m, s);
        List<T> out = new ArrayList<>();
        while (true) {
            long n = Libc.recv(fd, rx);
            ByteBuffer b = rx.asSlice(0, n).asByteBuffer().order(ByteOrder.nativeOrder());
            int p = 0;
            while (p + 16 <= n) {
                int len = b.getInt(p);
                int type = Short.toUnsignedInt(b.getShort(p + 4));
                int flags = Short.toUnsignedInt(b.getShort(p + 6));
                int mseq = b.getInt(p + 8);
                if (len < 16 || p + len > n) break;
                ByteBuffer msg = b.slice(p, len).order(ByteOrder.nativeOrder());
                p += (len + 3) & ~3;
                if (mseq != s) continue; // stale reply of an earlier, interrupted request
                if (type == NLMSG_DONE) return out;
                if (type == NLMSG_ERROR) {
                    int err = msg.getInt(16);
                    if (err == 0) return out;
                    throw new SyscallException(what, -err, extAckMessage(msg, flags));
                }
                if (type == replyType) {
                    T t = parser.apply(msg);
                    if (t != null) out.add(t);
                    if ((flags & F_MULTI) == 0) return out;
                }
            }
        }
    }

    /** The kernel's extended-ack text, present with NETLINK_EXT_ACK (the echoed request is capped). */
    private static String extAckMessage(ByteBuffer msg, int flags) {
        if ((flags & F_ACK_TLVS) == 0) return null;
        int tlvStart = 16 + 4 + 16; // nlmsghdr, error, echoed nlmsghdr (capped)
        if (msg.limit() <= tlvStart) return null;
        return NlAttrs.parse(msg, tlvStart, msg.limit()).string(NLMSGERR_ATTR_MSG);
    }

    private static Link parseLink(ByteBuffer msg) {
        int index = msg.getInt(16 + 4);
        int ifflags = msg.getInt(16 + 8);
        NlAttrs a = NlAttrs.parse(msg, 32, msg.limit());
        byte[] mac = a.bytes(IFLA_ADDRESS);
        String kind = a.nested(IFLA_LINKINFO).string(IFLA_INFO_KIND);
        return new Link(index, a.string(IFLA_IFNAME), a.integer(IFLA_MTU, 0),
                mac == null ? "" : HexFormat.ofDelimiter(":").formatHex(mac), (ifflags & IFF_UP) != 0,
                a.integer(IFLA_MASTER, 0), kind == null ? "" : kind);
    }

    private static Address parseAddress(ByteBuffer msg) {
        int prefix = Byte.toUnsignedInt(msg.get(17));
        int index = msg.getInt(20);
        NlAttrs a = NlAttrs.parse(msg, 24, msg.limit());
        byte[] addr = a.has(IFA_LOCAL) ? a.bytes(IFA_LOCAL) : a.bytes(IFA_ADDRESS);
        return addr == null ? null : new Address(index, inet(addr), prefix);
    }

    private static Route parseRoute(ByteBuffer msg) {
        int dstLen = Byte.toUnsignedInt(msg.get(17));
        int table = Byte.toUnsignedInt(msg.get(20));
        int type = Byte.toUnsignedInt(msg.get(23));
        NlAttrs a = NlAttrs.parse(msg, 28, msg.limit());
        int realTable = a.integer(RTA_TABLE, table);
        if (realTable != RT_TABLE_MAIN || type != RTN_UNICAST) return null;
        byte[] dst = a.bytes(RTA_DST);
        byte[] gw = a.bytes(RTA_GATEWAY);
        return new Route(dst == null ? null : inet(dst), dstLen, gw == null ? null : inet(gw), a.integer(RTA_OIF, 0));
    }

    private static InetAddress inet(byte[] raw) {
        try {
            return InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /** Parses {@code aa:bb:cc:dd:ee:ff}. */
    public static byte[] parseMac(String mac) {
        byte[] b = HexFormat.ofDelimiter(":").parseHex(mac.toLowerCase(java.util.Locale.ROOT));
        if (b.length != 6) throw new IllegalArgumentException("invalid MAC address: " + mac);
        return b;
    }
}
