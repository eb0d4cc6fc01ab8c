package io.shoal.bittorrent.metainfo;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A torrent's identity: the SHA-1 of the bencoded info dictionary (v1, BEP 3, 20 bytes) or its SHA-256
 * (v2, BEP 52, 32 bytes). Where a 20-byte id is needed for a v2 torrent (the handshake, trackers, the
 * DHT) it is the SHA-256 truncated to 20 bytes, {@link #truncated()}.
 */
public final class InfoHash {

    public enum Version { V1, V2 }

    private final byte[] bytes;
    /** Cached: trackers look these up in hash maps on every announce. */
    private int hash;

    private InfoHash(byte[] bytes) {
        this.bytes = bytes;
    }

    /** From 20 bytes (v1 or a truncated v2) or 32 bytes (v2). */
    public static InfoHash of(byte[] bytes) {
        if (bytes.length != 20 && bytes.length != 32) {
            throw new IllegalArgumentException("info-hash length: " + bytes.length + " (expected: 20 or 32)");
        }
        return new InfoHash(bytes.clone());
    }

    public static InfoHash fromHex(String hex) {
        if (hex.length() != 40 && hex.length() != 64) {
            throw new IllegalArgumentException("info-hash hex length: " + hex.length() + " (expected: 40 or 64)");
        }
        return new InfoHash(HexFormat.of().parseHex(hex));
    }

    public static InfoHash v1Of(byte[] bencodedInfo) {
        return new InfoHash(digest("SHA-1", bencodedInfo));
    }

    public static InfoHash v2Of(byte[] bencodedInfo) {
        return new InfoHash(digest("SHA-256", bencodedInfo));
    }

    static byte[] digest(String algorithm, byte[] input) {
        try {
            return MessageDigest.getInstance(algorithm).digest(input);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is part of every JDK", e);
        }
    }

    public Version version() {
        return bytes.length == 20 ? Version.V1 : Version.V2;
    }

    /** The 20 bytes used on the wire: itself for v1, the first 20 bytes of a v2 hash. */
    public InfoHash truncated() {
        return bytes.length == 20 ? this : new InfoHash(Arrays.copyOf(bytes, 20));
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    public String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InfoHash other && Arrays.equals(bytes, other.bytes);
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
        return hex();
    }
}
