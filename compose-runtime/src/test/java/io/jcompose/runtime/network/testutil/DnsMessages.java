package io.jcompose.runtime.network.testutil;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DnsPtrRecord;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordDecoder;
import io.netty.handler.codec.dns.DnsRecordEncoder;
import io.netty.handler.codec.dns.DnsRecordType;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/** Builds raw queries and reads raw answers for tests (the code under test must not do both). */
public final class DnsMessages {
    public record Answer(int id, int rcode, boolean truncated, List<String> addresses, List<String> ptr, List<Long> ttls) {}

    public static byte[] query(int id, String name, DnsRecordType type) {
        ByteBuf b = Unpooled.buffer();
        b.writeShort(id).writeShort(0x0100).writeShort(1).writeShort(0).writeShort(0).writeShort(0);
        try {
            DnsRecordEncoder.DEFAULT.encodeQuestion(new DefaultDnsQuestion(name, type), b);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        return out;
    }

    public static Answer parse(byte[] msg) {
        ByteBuf b = Unpooled.wrappedBuffer(msg);
        int id = b.readUnsignedShort();
        int flags = b.readUnsignedShort();
        int qd = b.readUnsignedShort(), an = b.readUnsignedShort();
        b.readUnsignedShort();
        b.readUnsignedShort();
        List<String> addrs = new ArrayList<>(), ptr = new ArrayList<>();
        List<Long> ttls = new ArrayList<>();
        try {
            for (int i = 0; i < qd; i++) DnsRecordDecoder.DEFAULT.decodeQuestion(b);
            for (int i = 0; i < an; i++) {
                DnsRecord r = DnsRecordDecoder.DEFAULT.decodeRecord(b);
                ttls.add(r.timeToLive());
                if (r instanceof DnsPtrRecord p) ptr.add(p.hostname());
                else if (r instanceof DnsRawRecord raw && (r.type() == DnsRecordType.A || r.type() == DnsRecordType.AAAA)) {
                    byte[] a = new byte[raw.content().readableBytes()];
                    raw.content().getBytes(raw.content().readerIndex(), a);
                    addrs.add(InetAddress.getByAddress(a).getHostAddress());
                    raw.release();
                } else if (r.type() == DnsRecordType.PTR && r instanceof DnsRawRecord raw) {
                    ptr.add(decodeName(raw.content()));
                    raw.release();
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return new Answer(id, flags & 0xf, (flags & 0x200) != 0, addrs, ptr, ttls);
    }

    private static String decodeName(ByteBuf b) {
        StringBuilder sb = new StringBuilder();
        int p = b.readerIndex();
        while (true) {
            int len = b.getUnsignedByte(p++);
            if (len == 0) break;
            sb.append(b.toString(p, len, java.nio.charset.StandardCharsets.US_ASCII)).append('.');
            p += len;
        }
        return sb.toString();
    }
}
