package io.shoal.bittorrent.hashing;

import java.security.MessageDigest;

/**
 * BEP 52's SHA-256 merkle trees. Leaves are the hashes of 16 KiB blocks; a layer is padded to a power of
 * two with the hash of an all-zero subtree of the same height (zero bytes at the leaves).
 */
public final class MerkleTree {

    public static final int BLOCK = 16 * 1024;
    public static final int HASH = 32;

    private MerkleTree() {
    }

    /**
     * The root over {@code count} hashes laid end to end in {@code layer}, padded to {@code paddedCount}
     * (a power of two, at least {@code count}) with {@code pad}. The layer is not modified.
     */
    public static byte[] root(byte[] layer, int count, int paddedCount, byte[] pad, MessageDigest sha256) {
        if (Integer.bitCount(paddedCount) != 1 || paddedCount < count) {
            throw new IllegalArgumentException("padded count " + paddedCount + " for " + count + " hashes");
        }
        byte[] current = new byte[Math.max(count, 1) * HASH];
        System.arraycopy(layer, 0, current, 0, count * HASH);
        int width = paddedCount;
        byte[] padAtLevel = pad;
        int present = count;
        while (width > 1) {
            int parents = (present + 1) / 2;
            byte[] next = new byte[Math.max(parents, 1) * HASH];
            for (int i = 0; i < parents; i++) {
                sha256.update(current, 2 * i * HASH, HASH);
                if (2 * i + 1 < present) {
                    sha256.update(current, (2 * i + 1) * HASH, HASH);
                } else {
                    sha256.update(padAtLevel);
                }
                digestInto(sha256, next, i * HASH);
            }
            padAtLevel = parent(padAtLevel, padAtLevel, sha256);
            current = next;
            present = parents;
            width /= 2;
        }
        byte[] root = new byte[HASH];
        System.arraycopy(current, 0, root, 0, HASH);
        return root;
    }

    /** The root of a subtree of {@code 2^height} zero leaves: what pads a piece layer. */
    public static byte[] zeroSubtree(int height, MessageDigest sha256) {
        byte[] hash = new byte[HASH];
        for (int i = 0; i < height; i++) {
            hash = parent(hash, hash, sha256);
        }
        return hash;
    }

    static byte[] parent(byte[] left, byte[] right, MessageDigest sha256) {
        sha256.update(left);
        sha256.update(right);
        return sha256.digest();
    }

    static void digestInto(MessageDigest digest, byte[] out, int offset) {
        try {
            digest.digest(out, offset, HASH);
        } catch (java.security.DigestException e) {
            throw new IllegalStateException("SHA-256 writes 32 bytes", e);
        }
    }

    static void digestIntoSha1(MessageDigest digest, byte[] out, int offset) {
        try {
            digest.digest(out, offset, 20);
        } catch (java.security.DigestException e) {
            throw new IllegalStateException("SHA-1 writes 20 bytes", e);
        }
    }

    /** The smallest power of two at or above {@code n} (1 for 0). */
    public static int paddedCount(long n) {
        if (n <= 1) {
            return 1;
        }
        long p = Long.highestOneBit(n - 1) << 1;
        if (p > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("tree of " + n + " leaves");
        }
        return (int) p;
    }
}
