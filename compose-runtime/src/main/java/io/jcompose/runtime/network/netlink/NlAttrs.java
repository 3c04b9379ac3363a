package io.jcompose.runtime.network.netlink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** Parsed rtattrs of one message: type to a slice of the payload (last one wins). */
record NlAttrs(Map<Integer, ByteBuffer> byType) {

    static NlAttrs parse(ByteBuffer msg, int from, int to) {
        Map<Integer, ByteBuffer> m = new HashMap<>();
        int p = from;
        while (p + 4 <= to) {
            int len = Short.toUnsignedInt(msg.getShort(p));
            int type = Short.toUnsignedInt(msg.getShort(p + 2)) & 0x3fff; // strip NLA_F_NESTED/NET_BYTEORDER
            if (len < 4 || p + len > to) break;
            m.put(type, msg.slice(p + 4, len - 4).order(ByteOrder.nativeOrder()));
            p += (len + 3) & ~3;
        }
        return new NlAttrs(m);
    }

    NlAttrs nested(int type) {
        ByteBuffer b = byType.get(type);
        return b == null ? new NlAttrs(Map.of()) : parse(b, 0, b.limit());
    }

    boolean has(int type) {
        return byType.containsKey(type);
    }

    byte[] bytes(int type) {
        ByteBuffer b = byType.get(type);
        if (b == null) return null;
        byte[] out = new byte[b.limit()];
        b.get(0, out);
        return out;
    }

    String string(int type) {
        byte[] b = bytes(type);
        if (b == null) return null;
        int n = 0;
        while (n < b.length && b[n] != 0) n++;
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }

    int integer(int type, int dflt) {
        ByteBuffer b = byType.get(type);
        return b == null || b.limit() < 4 ? dflt : b.getInt(0);
    }
}
