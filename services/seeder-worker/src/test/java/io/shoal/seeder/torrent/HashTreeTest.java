package io.shoal.seeder.torrent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shoal.bittorrent.metainfo.MetainfoParser;
import io.shoal.bittorrent.metainfo.TorrentFormat;
import java.security.MessageDigest;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** BEP 52 hash requests: the answer's hashes and uncles must lead to the file's pieces root. */
class HashTreeTest {

    private static final int PIECE = 32 * 1024;

    private static byte[] parent(byte[] left, byte[] right) throws Exception {
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        sha256.update(left);
        return sha256.digest(right);
    }

    @Test
    void aRequestedRangeWithItsUnclesProvesThePiecesRoot() throws Exception {
        TestTorrents.Made made = TestTorrents.make(TorrentFormat.V2, PIECE, 5, 13 * PIECE + 100); // 14 pieces: padded to 16
        byte[] root = MetainfoParser.v2Files(io.shoal.bittorrent.metainfo.MetainfoParser.parse(made.torrentFile())).getFirst().piecesRoot();
        HashTree tree = made.torrent().hashTree(root).orElseThrow();
        assertArrayEquals(root, tree.root());
        int pieceLayer = Integer.numberOfTrailingZeros(PIECE / (16 * 1024));

        // four piece hashes from index 4, proof up to the root's children: uncles at heights 2 and 3
        byte[] answer = tree.hashes(pieceLayer, 4, 4, 3).orElseThrow();
        assertEquals((4 + 2) * 32, answer.length);
        byte[] a = parent(Arrays.copyOfRange(answer, 0, 32), Arrays.copyOfRange(answer, 32, 64));
        byte[] b = parent(Arrays.copyOfRange(answer, 64, 96), Arrays.copyOfRange(answer, 96, 128));
        byte[] subtree = parent(a, b); // the node covering pieces 4-7: the right child of its parent
        byte[] up = parent(Arrays.copyOfRange(answer, 128, 160), subtree);
        byte[] computed = parent(up, Arrays.copyOfRange(answer, 160, 192)); // pieces 0-7, left of 8-15
        assertArrayEquals(root, computed);

        assertTrue(tree.hashes(pieceLayer, 4, 4, 0).orElseThrow().length == 4 * 32, "no proof asked, none given");
        assertTrue(tree.hashes(0, 0, 2, 0).isEmpty(), "block hashes need the data: rejected");
        assertTrue(tree.hashes(pieceLayer, 3, 2, 0).isEmpty(), "index not a multiple of the count");
        assertTrue(tree.hashes(pieceLayer, 0, 3, 0).isEmpty(), "a count that is not a power of two");
        assertTrue(tree.hashes(pieceLayer, 16, 2, 0).isEmpty(), "past the padded layer");
        assertTrue(tree.hashes(pieceLayer, 0, 2, 4).isEmpty(), "a proof beyond the root");
        assertTrue(tree.hashes(pieceLayer, 0, 16, 0).isPresent(), "the whole padded layer");
    }
}
