package io.jcompose.runtime.network.dns;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.dns.DefaultDnsPtrRecord;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordDecoder;
import io.netty.handler.codec.dns.DnsRecordEncoder;
import io.netty.handler.codec.dns.DnsRecordType;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Answers one DNS message for one container, Docker's way (RUNTIME-FACTS §7): A, AAAA and PTR
 * from {@link DnsRecords} (all addresses, shuffled per response, TTL 600; a known name without
 * an address of the asked family gets NOERROR and no answers); everything else is forwarded to
 * the container's upstreams, SERVFAIL when none answers, REFUSED when over 1024 forwards are in
 * flight. Works on raw messages so forwarded queries go out byte for byte; the question and
 * answer records are read and written with Netty's DNS codec.
 */
public final class DnsResolver implements AutoCloseable {
    public static final int TTL = 600;
    private static final int QR = 0x8000, RA = 0x80, TC = 0x200, RD = 0x100;
    private static final int NOERROR = 0, FORMERR = 1, SERVFAIL = 2, REFUSED = 5;

    /** How one container's unknown names are forwarded. */
    /**
     * @param extraHosts the container's {@code extra_hosts}, answered before network records
     *     (name, lower case, to addresses)
     */
    public record Scope(List<Upstream> hostUpstreams, List<Upstream> containerUpstreams, boolean externalAccess,
            Map<String, List<InetAddress>> extraHosts) {
        public Scope {
            extraHosts = extraHosts == null ? Map.of() : Map.copyOf(extraHosts);
        }

        /** Host upstreams are skipped without external access (internal networks), as Docker does. */
        List<Upstream> upstreams() {
            List<Upstream> all = new ArrayList<>(containerUpstreams);
            if (containerUpstreams.isEmpty() && externalAccess) all.addAll(hostUpstreams);
            return all;
        }
    }

    private final DnsRecords records;
    private final Forwarder forwarder;
    private final Map<String, Scope> scopes = new ConcurrentHashMap<>();

    public DnsResolver(DnsRecords records, Duration forwardTimeout) {
        this.records = records;
        this.forwarder = new Forwarder(forwardTimeout);
    }

    public DnsRecords records() {
        return records;
    }

    public void setScope(String containerId, Scope scope) {
        scopes.put(containerId, scope);
    }

    public void removeScope(String containerId) {
        scopes.remove(containerId);
    }

    /**
     * The answer to {@code query} asked by {@code containerId}; {@code udp} limits a local answer
     * to 512 bytes (setting TC when it does not fit).
     */
    public CompletableFuture<byte[]> answer(String containerId, byte[] query, boolean udp) {
        if (query.length < 12) return CompletableFuture.completedFuture(null);
        ByteBuf in = Unpooled.wrappedBuffer(query);
        int flags = in.getUnsignedShort(2);
        int qd = in.getUnsignedShort(4);
        if ((flags & QR) != 0) return CompletableFuture.completedFuture(null); // not a query
        DnsQuestion question;
        try {
            if (qd != 1 || ((flags >> 11) & 0xf) != 0) return done(reply(query, null, FORMERR, List.of(), udp));
            in.readerIndex(12);
            question = DnsRecordDecoder.DEFAULT.decodeQuestion(in);
        } catch (Exception e) {
            return done(reply(query, null, FORMERR, List.of(), udp));
        }
        Optional<List<DnsRecord>> local = local(containerId, question);
        if (local.isPresent()) return done(reply(query, question, NOERROR, local.get(), udp));
        Scope scope = scopes.get(containerId);
        List<Upstream> ups = scope == null ? List.of() : scope.upstreams();
        if (ups.isEmpty()) return done(error(query, SERVFAIL));
        CompletableFuture<byte[]> f = forwarder.forward(query, ups);
        if (f == null) return done(error(query, REFUSED));
        return f.thenApply(r -> r != null ? r : error(query, SERVFAIL));
    }

    private Optional<List<DnsRecord>> local(String containerId, DnsQuestion q) {
        String name = q.name();
        DnsRecordType type = q.type();
        if (type == DnsRecordType.A || type == DnsRecordType.AAAA) {
            boolean v6 = type == DnsRecordType.AAAA;
            Scope scope = scopes.get(containerId);
            List<InetAddress> extra = scope == null ? null : scope.extraHosts().get(DnsRecords.normalise(name));
            Optional<List<InetAddress>> found = extra != null
                    ? Optional.of(extra.stream().filter(a -> (a instanceof java.net.Inet6Address) == v6).toList())
                    : records.lookup(containerId, name, v6);
            return found.map(ips -> {
                List<InetAddress> shuffled = new ArrayList<>(ips);
                Collections.shuffle(shuffled);
                List<DnsRecord> out = new ArrayList<>();
                for (InetAddress a : shuffled) {
                    out.add(new DefaultDnsRawRecord(name, type, TTL, Unpooled.wrappedBuffer(a.getAddress())));
                }
                return out;
            });
        }
        if (type == DnsRecordType.PTR) {
            InetAddress a = fromReverseName(name);
            if (a == null) return Optional.empty();
            return records.reverse(containerId, a)
                    .map(host -> List.of(new DefaultDnsPtrRecord(name, DnsRecord.CLASS_IN, TTL, host + ".")));
        }
        return Optional.empty();
    }

    private static CompletableFuture<byte[]> done(byte[] b) {
        return CompletableFuture.completedFuture(b);
    }

    /**
     * Header + question + answers, reusing the query's id and RD bit. Over UDP the message is
     * kept within 512 bytes, or the EDNS0 payload size the client announced: records that do
     * not fit are left out and TC is set, so the client may retry over TCP.
     */
    private static byte[] reply(byte[] query, DnsQuestion question, int rcode, List<DnsRecord> answers, boolean udp) {
        ByteBuf out = Unpooled.buffer(512);
        try {
            int qflags = ((query[2] & 0xff) << 8) | (query[3] & 0xff);
            int flags = QR | RA | (qflags & RD) | rcode;
            out.writeShort(((query[0] & 0xff) << 8) | (query[1] & 0xff));
            out.writeShort(flags).writeShort(question == null ? 0 : 1).writeShort(0).writeShort(0).writeShort(0);
            if (question != null) DnsRecordEncoder.DEFAULT.encodeQuestion(question, out);
            int limit = udp ? udpLimit(query) : 65535;
            int count = 0;
            for (DnsRecord r : answers) {
                int before = out.writerIndex();
                DnsRecordEncoder.DEFAULT.encodeRecord(r, out);
                if (out.writerIndex() > limit) {
                    out.writerIndex(before);
                    out.setShort(2, flags | TC);
                    break;
                }
                count++;
            }
            out.setShort(6, count);
            byte[] b = new byte[out.readableBytes()];
            out.readBytes(b);
            return b;
        } catch (Exception e) {
            throw new IllegalStateException("cannot encode DNS answer", e);
        } finally {
            out.release();
            for (DnsRecord r : answers) io.netty.util.ReferenceCountUtil.release(r);
        }
    }

    /** 512, or the UDP payload size of the query's EDNS0 OPT record (its class field). */
    static int udpLimit(byte[] query) {
        ByteBuf in = Unpooled.wrappedBuffer(query);
        int qd = in.getUnsignedShort(4), an = in.getUnsignedShort(6), ns = in.getUnsignedShort(8), ar = in.getUnsignedShort(10);
        try {
            in.readerIndex(12);
            for (int i = 0; i < qd; i++) DnsRecordDecoder.DEFAULT.decodeQuestion(in);
            for (int i = 0; i < an + ns + ar; i++) {
                DnsRecord r = DnsRecordDecoder.DEFAULT.decodeRecord(in);
                if (r == null) break;
                io.netty.util.ReferenceCountUtil.release(r);
                if (r.type() == DnsRecordType.OPT) return Math.max(512, Math.min(r.dnsClass() & 0xffff, 65535));
            }
        } catch (Exception e) {
            // malformed additional section: stay with the classic limit
        }
        return 512;
    }

    /** The query with QR set and an error rcode (question kept as asked). */
    static byte[] error(byte[] query, int rcode) {
        byte[] b = query.clone();
        b[2] = (byte) (b[2] | 0x80);
        b[3] = (byte) ((b[3] & 0xf0) | RA | rcode);
        return b;
    }

    /** {@code 2.0.18.172.in-addr.arpa.} or an ip6.arpa nibble name to the address, else null. */
    static InetAddress fromReverseName(String name) {
        String n = DnsRecords.normalise(name);
        try {
            if (n.endsWith(".in-addr.arpa")) {
                String[] p = n.substring(0, n.length() - ".in-addr.arpa".length()).split("\\.");
                if (p.length != 4) return null;
                byte[] b = new byte[4];
                for (int i = 0; i < 4; i++) b[i] = (byte) Integer.parseInt(p[3 - i]);
                return InetAddress.getByAddress(b);
            }
            if (n.endsWith(".ip6.arpa")) {
                String[] p = n.substring(0, n.length() - ".ip6.arpa".length()).split("\\.");
                if (p.length != 32) return null;
                byte[] b = new byte[16];
                for (int i = 0; i < 32; i++) {
                    int nibble = Integer.parseInt(p[31 - i], 16);
                    b[i / 2] |= (byte) (i % 2 == 0 ? nibble << 4 : nibble);
                }
                return InetAddress.getByAddress(b);
            }
        } catch (NumberFormatException | UnknownHostException e) {
            return null;
        }
        return null;
    }

    @Override
    public void close() {
        forwarder.close();
    }
}
