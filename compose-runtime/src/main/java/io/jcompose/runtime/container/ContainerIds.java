package io.jcompose.runtime.container;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Container ids as Docker makes them: 64 lowercase hex, never a short id of digits only. */
public final class ContainerIds {
    private static final SecureRandom RANDOM = new SecureRandom();

    private ContainerIds() {}

    public static String newId() {
        while (true) {
            byte[] b = new byte[32];
            RANDOM.nextBytes(b);
            String id = HexFormat.of().formatHex(b);
            if (!id.substring(0, 12).chars().allMatch(Character::isDigit)) return id;
        }
    }

    /** The first 12 characters. */
    public static String shortId(String id) {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }
}
