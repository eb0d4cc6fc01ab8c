package io.shoal.bittorrent.bencode;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/** A bencoded byte string. Binary (hashes, compact peers) or text; compares by content, unsigned byte order. */
public final class BString implements BValue, Comparable<BString> {

    private final byte[] bytes;

    private BString(byte[] bytes) {
        this.bytes = bytes;
    }

    public static BString of(byte[] bytes) {
        return new BString(bytes.clone());
    }

    public static BString of(String utf8) {
        return new BString(utf8.getBytes(StandardCharsets.UTF_8));
    }

    /** Takes ownership: the caller must not change the array afterwards. */
    static BString wrap(byte[] bytes) {
        return new BString(bytes);
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    public int length() {
        return bytes.length;
    }

    /** The bytes as UTF-8 text; malformed sequences become U+FFFD. */
    public String utf8() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Whether the bytes are well-formed UTF-8 (file names must be). */
    public boolean isUtf8() {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }

    byte[] unsafeBytes() {
        return bytes;
    }

    @Override
    public int compareTo(BString other) {
        return Arrays.compareUnsigned(bytes, other.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BString other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return isUtf8() ? '"' + utf8() + '"' : "0x" + HexFormat.of().formatHex(bytes);
    }
}
