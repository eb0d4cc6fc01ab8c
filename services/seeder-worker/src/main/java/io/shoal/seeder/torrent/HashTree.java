package io.shoal.seeder.torrent;

import io.shoal.bittorrent.hashing.MerkleTree;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;

/**
 * BEP 52: the part of one file's merkle tree from its piece layer up to its root, to answer hash requests
 * from peers that joined by a magnet link and so lack the piece layers. Layers below the piece layer
 * (block hashes) would need the data; those requests are rejected.
 */
public final class HashTree {

    /** BEP 52 leaves it open; libtorrent asks for at most 512 hashes at once. */
    public static final int MAX_COUNT = 8192;

    /** layers[0] is the piece layer padded to a power of two; the last holds the root alone. */
    private final byte[][] layers;
    private final int pieceLayer;

    private HashTree(byte[][] layers, int pieceLayer) {
        this.layers = layers;
        this.pieceLayer = pieceLayer;
    }

    /** @param pieceLayerHashes 32 bytes a piece, as in the .torrent's {@code piece layers} */
    public static HashTree of(long fileLength, int pieceLength, byte[] pieceLayerHashes) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
        int pieces = pieceLayerHashes.length / MerkleTree.HASH;
        int width = MerkleTree.paddedCount(pieces);
        int pieceHeight = Integer.numberOfTrailingZeros(pieceLength / MerkleTree.BLOCK);
        byte[] pad = MerkleTree.zeroSubtree(pieceHeight, sha256);
        int height = Integer.numberOfTrailingZeros(width);
        byte[][] layers = new byte[height + 1][];
        byte[] current = new byte[width * MerkleTree.HASH];
        System.arraycopy(pieceLayerHashes, 0, current, 0, pieces * MerkleTree.HASH);
        for (int i = pieces; i < width; i++) {
            System.arraycopy(pad, 0, current, i * MerkleTree.HASH, MerkleTree.HASH);
        }
        layers[0] = current;
        for (int l = 1; l <= height; l++) {
            byte[] below = layers[l - 1];
            byte[] above = new byte[below.length / 2];
            for (int i = 0; i < above.length / MerkleTree.HASH; i++) {
                sha256.update(below, 2 * i * MerkleTree.HASH, 2 * MerkleTree.HASH);
                System.arraycopy(sha256.digest(), 0, above, i * MerkleTree.HASH, MerkleTree.HASH);
            }
            layers[l] = above;
        }
        return new HashTree(layers, pieceHeight);
    }

    /** The file's pieces root, which the tree must end in. */
    public byte[] root() {
        return layers[layers.length - 1].clone();
    }

    /**
     * BEP 52's answer to a hash request: {@code count} hashes of layer {@code base} (0: blocks) from
     * {@code index}, then the uncle hashes that prove them, lowest first, up to {@code proofLayers} above the
     * base (libtorrent's reading: uncles of the subtree the hashes span and of its ancestors). Empty when the
     * request is out of this tree or below the piece layer.
     */
    public Optional<byte[]> hashes(int base, int index, int count, int proofLayers) {
        int layer = base - pieceLayer;
        if (layer < 0 || layer >= layers.length || count < 1 || count > MAX_COUNT || Integer.bitCount(count) != 1
                || index % count != 0) {
            return Optional.empty();
        }
        int width = layers[layer].length / MerkleTree.HASH;
        int top = layers.length - 1;
        int firstUncle = Math.max(1, Integer.numberOfTrailingZeros(count));
        if ((long) index + count > width || proofLayers < 0 || proofLayers >= firstUncle && layer + proofLayers > top - 1) {
            return Optional.empty();
        }
        int uncles = Math.max(0, proofLayers - firstUncle + 1);
        byte[] out = new byte[(count + uncles) * MerkleTree.HASH];
        System.arraycopy(layers[layer], index * MerkleTree.HASH, out, 0, count * MerkleTree.HASH);
        int at = count * MerkleTree.HASH;
        for (int h = firstUncle; h <= proofLayers; h++) {
            int node = index >>> h;
            byte[] row = layers[layer + h];
            System.arraycopy(row, (node ^ 1) * MerkleTree.HASH, out, at, MerkleTree.HASH);
            at += MerkleTree.HASH;
        }
        return Optional.of(out);
    }
}
