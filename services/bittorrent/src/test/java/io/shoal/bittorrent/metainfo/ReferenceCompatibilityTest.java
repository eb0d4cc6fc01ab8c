package io.shoal.bittorrent.metainfo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shoal.bittorrent.bencode.BDict;
import io.shoal.bittorrent.bencode.BencodeDecoder;
import io.shoal.bittorrent.bencode.BencodeEncoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * For the same files and piece length, Shoal's info dictionary is byte-identical to the reference tools':
 * mktorrent for v1, python3-libtorrent's create_torrent for hybrid and v2. The references run here, on
 * files made here; nothing is copied from them by hand.
 */
class ReferenceCompatibilityTest {

    static final int PIECE = 32 * 1024;

    @TempDir
    static Path dir;
    static Path single;
    static Path tree;

    @BeforeAll
    static void makeFiles() throws Exception {
        Random random = new Random(52);
        single = dir.resolve("disk.img");
        Files.write(single, bytes(random, 10 * PIECE + 12_345)); // 11 pieces: not a power of two, a short last block
        tree = dir.resolve("build");
        Files.createDirectories(tree.resolve("sub"));
        Files.write(tree.resolve("sub/a.bin"), bytes(random, 40_000));
        Files.write(tree.resolve("sub.txt"), bytes(random, 70_000));   // 'sub.txt' vs 'sub/a.bin': orders differ
        Files.write(tree.resolve("sub-x"), bytes(random, 5));
        Files.write(tree.resolve("Big"), bytes(random, 3 * PIECE));     // ends on a piece boundary: no pad
        Files.write(tree.resolve("empty"), new byte[0]);                // kept, no pad after it
        Files.write(tree.resolve("z.bin"), bytes(random, 5 * PIECE + 1));
    }

    static byte[] bytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    static BDict infoOf(byte[] torrent) throws Exception {
        return (BDict) BencodeDecoder.decodeDict(torrent, io.shoal.bittorrent.bencode.BencodeLimits.DEFAULT)
                .get("info").orElseThrow();
    }

    static BDict pieceLayersOf(byte[] torrent) throws Exception {
        return (BDict) BencodeDecoder.decodeDict(torrent, io.shoal.bittorrent.bencode.BencodeLimits.DEFAULT)
                .get("piece layers").orElseThrow();
    }

    void assertSameInfo(BDict reference, BDict shoal) {
        assertEquals(reference, shoal, "info dictionaries differ");
        assertArrayEquals(reference.rawBytes(), BencodeEncoder.encode(shoal), "info dictionary bytes differ");
    }

    @Test
    void v1SingleFileIsByteIdenticalToMktorrent() throws Exception {
        byte[] reference = ReferenceTools.mktorrent(single, PIECE, dir.resolve("m-single.torrent"));
        var shoal = ReferenceTools.shoal(single, PIECE, TorrentFormat.V1, 1);
        assertSameInfo(infoOf(reference), shoal.info());
        assertEquals(MetainfoParser.parse(reference).v1Hash().orElseThrow(), InfoHash.v1Of(BencodeEncoder.encode(shoal.info())));
    }

    @Test
    void v1DirectoryIsByteIdenticalToMktorrent() throws Exception {
        byte[] reference = ReferenceTools.mktorrent(tree, PIECE, dir.resolve("m-tree.torrent"));
        var shoal = ReferenceTools.shoal(tree, PIECE, TorrentFormat.V1, 1);
        assertSameInfo(infoOf(reference), shoal.info());
    }

    @Test
    void hybridSingleFileIsByteIdenticalToLibtorrent() throws Exception {
        var reference = ReferenceTools.libtorrent(single, PIECE, "hybrid", dir.resolve("l-single.torrent"));
        var shoal = ReferenceTools.shoal(single, PIECE, TorrentFormat.HYBRID, 1);
        assertSameInfo(infoOf(reference.torrent()), shoal.info());
        assertEquals(pieceLayersOf(reference.torrent()), shoal.pieceLayers());
        byte[] encoded = BencodeEncoder.encode(shoal.info());
        assertEquals(reference.v1Hex(), InfoHash.v1Of(encoded).hex());
        assertEquals(reference.v2Hex(), InfoHash.v2Of(encoded).hex());
    }

    @Test
    void hybridDirectoryIsByteIdenticalToLibtorrent() throws Exception {
        var reference = ReferenceTools.libtorrent(tree, PIECE, "hybrid", dir.resolve("l-tree.torrent"));
        var shoal = ReferenceTools.shoal(tree, PIECE, TorrentFormat.HYBRID, 1);
        assertSameInfo(infoOf(reference.torrent()), shoal.info());
        assertEquals(pieceLayersOf(reference.torrent()), shoal.pieceLayers());
        assertEquals(reference.v2Hex(), InfoHash.v2Of(BencodeEncoder.encode(shoal.info())).hex());
    }

    @Test
    void v2DirectoryIsByteIdenticalToLibtorrent() throws Exception {
        var reference = ReferenceTools.libtorrent(tree, PIECE, "v2", dir.resolve("l-v2.torrent"));
        var shoal = ReferenceTools.shoal(tree, PIECE, TorrentFormat.V2, 1);
        assertSameInfo(infoOf(reference.torrent()), shoal.info());
        assertEquals(pieceLayersOf(reference.torrent()), shoal.pieceLayers());
        assertEquals(reference.v2Hex(), InfoHash.v2Of(BencodeEncoder.encode(shoal.info())).hex());
    }

    @Test
    void hashingOnSeveralThreadsGivesTheSameTorrent() throws Exception {
        for (TorrentFormat format : TorrentFormat.values()) {
            for (Path path : new Path[] {single, tree}) {
                var one = ReferenceTools.shoal(path, PIECE, format, 1);
                var four = ReferenceTools.shoal(path, PIECE, format, 4);
                assertEquals(one.info(), four.info(), format + " " + path);
                assertEquals(one.pieceLayers(), four.pieceLayers(), format + " " + path);
            }
        }
    }

    @Test
    void parsesWhatEveryReferenceToolMakes() throws Exception {
        for (String format : new String[] {"v1", "hybrid", "v2"}) {
            for (Path path : new Path[] {single, tree}) {
                var made = ReferenceTools.libtorrent(path, PIECE, format, dir.resolve("p-" + format + ".torrent"));
                Metainfo parsed = MetainfoParser.parse(made.torrent());
                assertEquals(made.v1Hex(), parsed.v1Hash().map(InfoHash::hex).orElse("-"), format);
                assertEquals(made.v2Hex(), parsed.v2Hash().map(InfoHash::hex).orElse("-"), format);
                assertEquals(Files.isDirectory(path) ? 6 : 1, parsed.files().stream().filter(f -> !f.pad()).count());
            }
        }
        Metainfo fromMktorrent = MetainfoParser.parse(ReferenceTools.mktorrent(tree, PIECE, dir.resolve("p-m.torrent")));
        assertEquals(TorrentFormat.V1, fromMktorrent.format());
        assertEquals("http://127.0.0.1:6969/announce", fromMktorrent.announceTiers().getFirst().getFirst());

        Path transmission = dir.resolve("p-t.torrent");
        ReferenceTools.run(dir, "transmission-create", "-o", transmission.toString(), "-t",
                "http://127.0.0.1:6969/announce", "-s", "32", tree.toString());
        Metainfo fromTransmission = MetainfoParser.parse(Files.readAllBytes(transmission));
        assertFalse(fromTransmission.privateTorrent());
        assertTrue(fromTransmission.info().containsKey("private"), "transmission-create always writes private");
        assertEquals(5, fromTransmission.files().size(), "transmission-create drops the empty file");
    }
}
