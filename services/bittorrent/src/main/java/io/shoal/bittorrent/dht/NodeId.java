package io.shoal.bittorrent.dht;

import io.shoal.bittorrent.metainfo.InfoHash;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import java.util.zip.CRC32C;

/** A DHT node's 160-bit id (BEP 5); distance between ids (and info-hashes) is their XOR. */
public final class NodeId implements Comparable<NodeId> {

    public static final int LENGTH = 20;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final byte[] bytes;

    private NodeId(byte[] bytes) {
        this.bytes = bytes;
    }

    public static NodeId of(byte[] bytes) {
        if (bytes.length != LENGTH) {
            throw new IllegalArgumentException("node id length: " + bytes.length + " (expected: " + LENGTH + ")");
        }
        return new NodeId(bytes.clone());
    }

    public static NodeId random() {
        byte[] bytes = new byte[LENGTH];
        RANDOM.nextBytes(bytes);
        return new NodeId(bytes);
    }

    /** An id drawn from {@code random}: simulations seed it so that a run can be repeated. */
    public static NodeId random(Random random) {
        byte[] bytes = new byte[LENGTH];
        random.nextBytes(bytes);
        return new NodeId(bytes);
    }

    private static final byte[] V4_MASK = {0x03, 0x0f, 0x3f, (byte) 0xff};
    private static final byte[] V6_MASK = {0x01, 0x03, 0x07, 0x0f, 0x1f, 0x3f, 0x7f, (byte) 0xff};

    /**
     * BEP 42: an id derived from the node's address, so that a node cannot choose where in the id space it sits (and
     * so whose keys it stores): the first 21 bits are CRC32C of the masked address with 3 random bits {@code r}, the
     * last byte carries {@code r}, the rest is random.
     */
    public static NodeId derivedFrom(InetAddress address, Random random) {
        byte[] id = new byte[LENGTH];
        random.nextBytes(id);
        int r = id[19] & 7;
        int crc = addressCrc(address, r);
        id[0] = (byte) (crc >>> 24);
        id[1] = (byte) (crc >>> 16);
        id[2] = (byte) ((crc >>> 8) & 0xf8 | id[2] & 7);
        return new NodeId(id);
    }

    /** BEP 42: whether this id's first 21 bits are the ones {@link #derivedFrom} gives {@code address}. */
    public boolean isDerivedFrom(InetAddress address) {
        int crc = addressCrc(address, bytes[19] & 7);
        return bytes[0] == (byte) (crc >>> 24) && bytes[1] == (byte) (crc >>> 16)
                && (bytes[2] & 0xf8) == ((crc >>> 8) & 0xf8);
    }

    private static int addressCrc(InetAddress address, int r) {
        byte[] raw = address.getAddress();
        byte[] mask = raw.length == 4 ? V4_MASK : V6_MASK;
        byte[] masked = new byte[mask.length];
        for (int i = 0; i < mask.length; i++) {
            masked[i] = (byte) (raw[i] & mask[i]);
        }
        masked[0] |= (byte) (r << 5);
        CRC32C crc = new CRC32C();
        crc.update(masked);
        return (int) crc.getValue();
    }

    /** The key an info-hash is stored under: the same 160 bits (BEP 5). */
    public static NodeId of(InfoHash infoHash) {
        return of(infoHash.bytes());
    }

    /**
     * A random id sharing exactly the first {@code prefixBits} bits with this one (the next bit differs): an id
     * in the k-bucket of that depth, which a bucket refresh looks up.
     */
    public NodeId randomWithCommonPrefix(int prefixBits, Random random) {
        if (prefixBits < 0 || prefixBits >= LENGTH * 8) {
            throw new IllegalArgumentException("prefix bits: " + prefixBits + " (expected: 0-159)");
        }
        byte[] out = new byte[LENGTH];
        random.nextBytes(out);
        for (int bit = 0; bit <= prefixBits; bit++) {
            int mask = 0x80 >>> (bit & 7);
            boolean mine = (bytes[bit >>> 3] & mask) != 0;
            boolean set = bit < prefixBits == mine;
            out[bit >>> 3] = (byte) (set ? out[bit >>> 3] | mask : out[bit >>> 3] & ~mask);
        }
        return new NodeId(out);
    }

    /** How many leading bits this id shares with {@code other} (160 when equal). */
    public int commonPrefixBits(NodeId other) {
        for (int i = 0; i < LENGTH; i++) {
            int x = (bytes[i] ^ other.bytes[i]) & 0xff;
            if (x != 0) {
                return i * 8 + Integer.numberOfLeadingZeros(x) - 24;
            }
        }
        return LENGTH * 8;
    }

    /** Orders {@code a} and {@code b} by their XOR distance to this id (negative: a is closer), without allocating. */
    public int compareDistance(NodeId a, NodeId b) {
        for (int i = 0; i < LENGTH; i++) {
            int da = (bytes[i] ^ a.bytes[i]) & 0xff;
            int db = (bytes[i] ^ b.bytes[i]) & 0xff;
            if (da != db) {
                return Integer.compare(da, db);
            }
        }
        return 0;
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    /** XOR distance to {@code other}, as an id-sized unsigned number. */
    public NodeId distance(NodeId other) {
        byte[] d = new byte[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            d[i] = (byte) (bytes[i] ^ other.bytes[i]);
        }
        return new NodeId(d);
    }

    @Override
    public int compareTo(NodeId other) {
        return Arrays.compareUnsigned(bytes, other.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NodeId n && Arrays.equals(bytes, n.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return HexFormat.of().formatHex(bytes);
    }
}
