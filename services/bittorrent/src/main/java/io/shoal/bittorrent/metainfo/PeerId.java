package io.shoal.bittorrent.metainfo;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

/** A peer's 20-byte id (BEP 3), conventionally an Azureus-style client prefix and random bytes. */
public final class PeerId {

    public static final int LENGTH = 20;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] bytes;
    /** Cached: trackers look these up in hash maps on every announce. */
    private int hash;

    private PeerId(byte[] bytes) {
        this.bytes = bytes;
    }

    public static PeerId of(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("peer id length: " + bytes.length + " (expected: " + LENGTH + ")");
        }
        return new PeerId(bytes.clone());
    }

    /** A fresh id with the given prefix (e.g. {@code -SH0100-}) and random bytes after it. */
    public static PeerId random(String prefix) {
        byte[] head = prefix.getBytes(StandardCharsets.US_ASCII);
        if (head.length > LENGTH) {
            throw new IllegalArgumentException("peer id prefix length: " + head.length + " (expected: <= " + LENGTH + ")");
        }
        byte[] bytes = new byte[LENGTH];
        RANDOM.nextBytes(bytes);
        System.arraycopy(head, 0, bytes, 0, head.length);
        return new PeerId(bytes);
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    /** Writes the 20 bytes into {@code target} at {@code offset}, for stores that keep ids packed in one array. */
    public void copyTo(byte[] target, int offset) {
        System.arraycopy(bytes, 0, target, offset, LENGTH);
    }

    /** Whether the 20 bytes of {@code source} at {@code offset} are this id. */
    public boolean matches(byte[] source, int offset) {
        return Arrays.equals(bytes, 0, LENGTH, source, offset, offset + LENGTH);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PeerId other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = Arrays.hashCode(bytes);
            hash = h; // racy but benign, like String's: every thread computes the same value
        }
        return h;
    }

    @Override
    public String toString() {
        return HexFormat.of().formatHex(bytes);
    }
}
