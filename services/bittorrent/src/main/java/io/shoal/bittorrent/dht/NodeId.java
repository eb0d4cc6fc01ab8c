package io.shoal.bittorrent.dht;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

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
