package io.shoal.bittorrent.metainfo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shoal.bittorrent.bencode.BDict;
import io.shoal.bittorrent.bencode.BList;
import io.shoal.bittorrent.bencode.BString;
import io.shoal.bittorrent.bencode.BValue;
import io.shoal.bittorrent.bencode.BencodeEncoder;
import io.shoal.bittorrent.hashing.PieceHasher;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Hostile .torrent files, named after what they try. */
class MetainfoParserTest {

    static final int PIECE = 16 * 1024;

    static BDict v1Multi(List<String> path) {
        BDict file = BDict.builder().put("length", 3)
                .put("path", new BList(path.stream().<BValue>map(BString::of).toList())).build();
        return BDict.builder().put("name", "dir").put("piece length", PIECE).put("pieces", new byte[20])
                .put("files", BList.of(file)).build();
    }

    static byte[] torrent(BDict info) {
        return BencodeEncoder.encode(BDict.builder().put("announce", "http://t/announce").put("info", info).build());
    }

    static String rejected(byte[] torrent) {
        return assertThrows(MetainfoException.class, () -> MetainfoParser.parse(torrent)).getMessage();
    }

    @Test
    void path_traversal_dot_dot() {
        assertTrue(rejected(torrent(v1Multi(List.of("..", "..", "etc", "passwd")))).contains("'..'"));
    }

    @Test
    void path_traversal_separator_inside_a_component() {
        assertTrue(rejected(torrent(v1Multi(List.of("a/../../b")))).contains("path separator"));
        assertTrue(rejected(torrent(v1Multi(List.of("a\\..\\b")))).contains("path separator"));
    }

    @Test
    void path_traversal_in_the_name() {
        BDict info = BDict.builder().put("name", "../x").put("piece length", PIECE).put("pieces", new byte[20]).put("length", 3).build();
        assertTrue(rejected(torrent(info)).contains("path separator"));
    }

    @Test
    void empty_and_control_character_names() {
        assertTrue(rejected(torrent(v1Multi(List.of("")))).contains("empty path component"));
        assertTrue(rejected(torrent(v1Multi(List.of("a\u0000b")))).contains("control character"));
        assertTrue(rejected(torrent(v1Multi(List.of("a\nb")))).contains("control character"));
        assertTrue(rejected(torrent(v1Multi(List.of()))).contains("empty path"));
    }

    @Test
    void overlong_name_component() {
        assertTrue(rejected(torrent(v1Multi(List.of("x".repeat(256))))).contains("256 bytes"));
    }

    @Test
    void negative_and_huge_lengths() {
        BDict negative = BDict.builder().put("name", "x").put("piece length", PIECE).put("pieces", new byte[20]).put("length", -1).build();
        assertTrue(rejected(torrent(negative)).contains("length -1"));
        BDict huge = BDict.builder().put("name", "x").put("piece length", PIECE).put("pieces", new byte[20]).put("length", Long.MAX_VALUE).build();
        assertTrue(rejected(torrent(huge)).contains("expected: 0 to"));
    }

    @Test
    void pieces_count_does_not_match_length() {
        BDict info = BDict.builder().put("name", "x").put("piece length", PIECE).put("pieces", new byte[40]).put("length", 3).build();
        assertTrue(rejected(torrent(info)).contains("pieces is 40 bytes (expected: 20"));
        BDict ragged = BDict.builder().put("name", "x").put("piece length", PIECE).put("pieces", new byte[21]).put("length", 3).build();
        rejected(torrent(ragged));
    }

    @Test
    void piece_length_zero_or_absurd() {
        for (long pieceLength : new long[] {0, -16384, 1L << 40}) {
            BDict info = BDict.builder().put("name", "x").put("piece length", pieceLength).put("pieces", new byte[20]).put("length", 3).build();
            assertTrue(rejected(torrent(info)).contains("piece length"), Long.toString(pieceLength));
        }
    }

    @Test
    void wrong_types() {
        BDict info = BDict.builder().put("name", 5).put("piece length", PIECE).put("pieces", new byte[20]).put("length", 3).build();
        assertTrue(rejected(torrent(info)).contains("name is not a string"));
        assertTrue(rejected(BencodeEncoder.encode(BDict.builder().put("info", "x").build())).contains("info is not a dictionary"));
        assertTrue(rejected("le".getBytes(StandardCharsets.US_ASCII)).contains("expected: dictionary"));
    }

    @Test
    void malformed_bencode_says_where() {
        assertTrue(rejected("d4:infod".getBytes(StandardCharsets.US_ASCII)).contains("at offset"));
    }

    @Test
    void v2_piece_layer_that_lies_about_its_root() throws Exception {
        TorrentLayout layout = TorrentLayout.singleFile("img", 3L * PIECE, PIECE, TorrentFormat.V2);
        var hasher = PieceHasher.create(layout, 1);
        hasher.update(new byte[3 * PIECE], 0, 3 * PIECE);
        var hashes = hasher.finish();
        BDict info = InfoDictionary.build(layout, hashes, false);
        BDict honest = InfoDictionary.pieceLayers(hashes);
        Metainfo parsed = MetainfoParser.parse(Metainfo.encode(info, honest, envelope()));
        assertEquals(TorrentFormat.V2, parsed.format());
        assertTrue(parsed.singleFile());

        byte[] root = hashes.files().getFirst().piecesRoot();
        byte[] forged = hashes.files().getFirst().pieceLayer();
        forged[0] ^= 1;
        BDict lying = BDict.builder().put(BString.of(root), BString.of(forged)).build();
        assertTrue(rejected(Metainfo.encode(info, lying, envelope())).contains("does not hash to its pieces root"));
        assertTrue(rejected(Metainfo.encode(info, BDict.builder().build(), envelope())).contains("no piece layer"));
        BDict truncated = BDict.builder().put(BString.of(root), BString.of(new byte[32])).build();
        assertTrue(rejected(Metainfo.encode(info, truncated, envelope())).contains("expected: 96"));
    }

    @Test
    void v2_file_tree_where_a_file_is_also_a_directory() {
        BDict leaf = BDict.builder().put("", BDict.builder().put("length", 0).build()).put("child", BDict.builder().build()).build();
        BDict info = BDict.builder().put("name", "x").put("piece length", PIECE).put("meta version", 2)
                .put("file tree", BDict.builder().put("a", leaf).build()).build();
        assertTrue(rejected(torrent(info)).contains("both a file and a directory"));
    }

    @Test
    void hybrid_whose_v1_and_v2_halves_disagree() throws Exception {
        TorrentLayout layout = TorrentLayout.multiFile("d", List.of(FileEntry.of(10, "a"), FileEntry.of(20, "b")), PIECE, TorrentFormat.HYBRID);
        var hasher = PieceHasher.create(layout, 1);
        hasher.update(new byte[30], 0, 30);
        BDict info = InfoDictionary.build(layout, hasher.finish(), false);
        MetainfoParser.parse(torrent(info));
        BDict renamed = BDict.builder().put("name", "d").put("piece length", PIECE).put("meta version", 2)
                .put("pieces", ((BString) info.get("pieces").orElseThrow()).bytes())
                .put("file tree", info.get("file tree").orElseThrow())
                .put("files", BList.of(fileEntry("a", 10), fileEntry(".pad", PIECE - 10, true), fileEntry("c", 20), fileEntry(".pad", PIECE - 20, true)))
                .build();
        assertTrue(rejected(torrent(renamed)).contains("differs from v2 file"));
    }

    static BDict fileEntry(String name, long length) {
        return fileEntry(name, length, false);
    }

    static BDict fileEntry(String name, long length, boolean pad) {
        BDict.Builder b = BDict.builder().put("length", length).put("path", BList.of(BString.of(name)));
        if (pad) {
            b.put("attr", "p");
        }
        return b.build();
    }

    @Test
    void envelopeFieldsRoundTrip() throws Exception {
        TorrentLayout layout = TorrentLayout.singleFile("x.iso", 5, PIECE, TorrentFormat.V1);
        var hasher = PieceHasher.create(layout, 1);
        hasher.update(new byte[5], 0, 5);
        BDict info = InfoDictionary.build(layout, hasher.finish(), true);
        var envelope = new Metainfo.Envelope(List.of(List.of("http://a/announce"), List.of("udp://b:6969")),
                List.of("http://gw/api/v1/webseed/"), Optional.of("nightly"), Optional.of("Shoal 0.1.0"),
                Optional.of(Instant.ofEpochSecond(1_800_000_000L)));
        Metainfo parsed = MetainfoParser.parse(Metainfo.encode(info, BDict.builder().build(), envelope));
        assertEquals(envelope.announceTiers(), parsed.announceTiers());
        assertEquals(envelope.urlList(), parsed.urlList());
        assertEquals(envelope.comment(), parsed.comment());
        assertEquals(envelope.createdBy(), parsed.createdBy());
        assertEquals(envelope.creationDate(), parsed.creationDate());
        assertTrue(parsed.privateTorrent());
        assertEquals(5, parsed.contentLength());
    }

    @Test
    void truncated_content_is_reported_by_the_hasher() throws Exception {
        TorrentLayout layout = TorrentLayout.singleFile("x", 100, PIECE, TorrentFormat.HYBRID);
        var hasher = PieceHasher.create(layout, 2);
        hasher.update(new byte[60], 0, 60);
        assertTrue(assertThrows(MetainfoException.class, hasher::finish).getMessage().contains("60 of 100"));
    }

    @Test
    void layout_rejects_duplicate_paths_and_file_directory_clashes() {
        assertThrows(MetainfoException.class, () -> TorrentLayout.multiFile("d",
                List.of(FileEntry.of(1, "a"), FileEntry.of(2, "a")), PIECE, TorrentFormat.V1));
        assertThrows(MetainfoException.class, () -> TorrentLayout.multiFile("d",
                List.of(FileEntry.of(1, "a"), FileEntry.of(2, "a", "b")), PIECE, TorrentFormat.HYBRID));
        assertThrows(MetainfoException.class, () -> TorrentLayout.singleFile("x", 1, 3000, TorrentFormat.V1));
    }

    static Metainfo.Envelope envelope() {
        return new Metainfo.Envelope(List.of(List.of("http://t/announce")), List.of(), Optional.empty(), Optional.empty(), Optional.empty());
    }
}
