package io.shoal.seeder.torrent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shoal.bittorrent.metainfo.MetainfoException;
import io.shoal.bittorrent.metainfo.TorrentFormat;
import io.shoal.events.StoredFile;
import io.shoal.events.TorrentPublishedEvent;
import io.shoal.objectstore.ObjectKeys;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class SeededTorrentTest {

    private static final int PIECE = 32 * 1024;

    /** Assembles a piece from its extents the way the piece store does (a v2 tail padded with zeros). */
    static byte[] assemble(TestTorrents.Made made, int piece) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Extent e : made.torrent().extentsOf(piece)) {
            if (e.pad()) {
                out.writeBytes(new byte[(int) e.length()]);
            } else {
                out.write(made.objects().get(e.objectKey()), (int) e.start(), (int) e.length());
            }
        }
        out.writeBytes(new byte[made.torrent().requestableSize(piece) - out.size()]);
        return out.toByteArray();
    }

    private static void everyPieceVerifies(TestTorrents.Made made) {
        for (int p = 0; p < made.torrent().pieceCount(); p++) {
            byte[] piece = assemble(made, p);
            assertEquals(made.torrent().requestableSize(p), piece.length, "piece " + p);
            assertTrue(made.torrent().verify(p, piece), "piece " + p + " verifies");
            piece[piece.length / 2] ^= 1;
            assertFalse(made.torrent().verify(p, piece), "piece " + p + " with a flipped bit does not");
        }
    }

    @Test
    void v1MultiFilePiecesSpanFileBoundaries() throws Exception {
        TestTorrents.Made made = TestTorrents.make(TorrentFormat.V1, PIECE, 1, 10_000, 50_000, 3, 40_000);
        assertEquals((10_000 + 50_000 + 3 + 40_000 + PIECE - 1) / PIECE, made.torrent().pieceCount());
        List<Extent> first = made.torrent().extentsOf(0);
        assertEquals(2, first.size(), "piece 0 spans the first file and the start of the second");
        assertEquals(new Extent(first.get(0).objectKey(), 0, 10_000), first.get(0));
        assertEquals(PIECE - 10_000, first.get(1).length());
        List<Extent> middle = made.torrent().extentsOf(1);
        assertEquals(3, middle.size(), "piece 1: the rest of f1, all of the 3-byte f2, the start of f3");
        everyPieceVerifies(made);
        assertEquals(List.of(made.event().swarmKey()), made.torrent().wireHashes().stream().map(Object::toString).toList());
    }

    @Test
    void hybridPadFilesAreZerosAndBothHashesAreOnTheWire() throws Exception {
        TestTorrents.Made made = TestTorrents.make(TorrentFormat.HYBRID, PIECE, 2, 40_000, 70_000);
        assertTrue(made.torrent().extentsOf(1).stream().anyMatch(Extent::pad), "f0 is padded to the piece boundary");
        everyPieceVerifies(made);
        assertEquals(2, made.torrent().wireHashes().size(), "v1 and the truncated v2 hash");
        assertTrue(made.torrent().hasV2());
    }

    @Test
    void v2FilesStartOnPieceBoundariesAndVerifyByMerkleRoots() throws Exception {
        TestTorrents.Made made = TestTorrents.make(TorrentFormat.V2, PIECE, 3, 40_000, 100_000, 5_000, 0);
        assertEquals(2 + 4 + 1, made.torrent().pieceCount(), "a file per run of pieces; the empty file has none");
        assertEquals(40_000 - PIECE, made.torrent().pieceSize(1), "a file's last piece is short");
        assertEquals(PIECE, made.torrent().requestableSize(1), "but requestable in full (zeros past the end)");
        byte[] tail = assemble(made, 1);
        tail[PIECE - 1] = 1;
        assertFalse(made.torrent().verify(1, tail), "anything but zeros past the end is refused");
        assertEquals(0, made.torrent().extentsOf(2).get(0).start(), "the second file starts piece 2");
        everyPieceVerifies(made);
        assertEquals(made.event().infoHashV2().substring(0, 40), made.torrent().wireHashes().getFirst().hex());
    }

    @Test
    void aTorrentWhoseFilesDisagreeWithTheEventIsRefused() throws Exception {
        TestTorrents.Made made = TestTorrents.make(TorrentFormat.V1, PIECE, 4, 10_000, 20_000);
        TorrentPublishedEvent e = made.event();
        List<StoredFile> wrongLength = List.of(e.files().get(0), new StoredFile(e.files().get(1).path(), 19_999,
                e.files().get(1).sha256(), e.files().get(1).objectKey()));
        TorrentPublishedEvent lying = new TorrentPublishedEvent(e.artifactId(), e.name(), e.infoHash(), null, e.format(),
                e.pieceLength(), e.size(), e.sha256(), false, false, wrongLength, e.trackers(), e.bucket(), e.torrentKey(), 0);
        assertThrows(MetainfoException.class, () -> SeededTorrent.of(lying, made.torrentFile()));
        TorrentPublishedEvent other = new TorrentPublishedEvent(e.artifactId(), e.name(), "ab".repeat(20), null, e.format(),
                e.pieceLength(), e.size(), e.sha256(), false, false, e.files(), e.trackers(), e.bucket(), e.torrentKey(), 0);
        assertThrows(MetainfoException.class, () -> SeededTorrent.of(other, made.torrentFile()), "another torrent's file");
    }

    /** A record on shoal.torrents is hostile: it must not point the worker at objects or trackers of its choosing. */
    @Test
    void forged_event_pointing_at_other_objects_or_trackers() throws Exception {
        TestTorrents.Made made = TestTorrents.make(TorrentFormat.V1, PIECE, 5, 10_000, 20_000);
        TorrentPublishedEvent e = made.event();
        for (String key : List.of("secrets/db-dump.sql", "content/" + made.artifact() + "/../../secrets/x",
                "torrents/" + made.artifact() + ".torrent", "piece-hashes/" + made.artifact())) {
            List<StoredFile> files = List.of(e.files().get(0), new StoredFile(e.files().get(1).path(), 20_000,
                    e.files().get(1).sha256(), key));
            TorrentPublishedEvent forged = new TorrentPublishedEvent(e.artifactId(), e.name(), e.infoHash(), null, e.format(),
                    e.pieceLength(), e.size(), e.sha256(), false, false, files, e.trackers(), e.bucket(), e.torrentKey(), 0);
            MetainfoException refused = assertThrows(MetainfoException.class, () -> SeededTorrent.of(forged, made.torrentFile()), key);
            assertTrue(refused.getMessage().contains("no content object"), refused.getMessage());
        }
        TorrentPublishedEvent elsewhere = new TorrentPublishedEvent(e.artifactId(), e.name(), e.infoHash(), null, e.format(),
                e.pieceLength(), e.size(), e.sha256(), false, false, e.files(), List.of("http://169.254.169.254/latest/meta-data"),
                e.bucket(), e.torrentKey(), 0);
        MetainfoException refused = assertThrows(MetainfoException.class, () -> SeededTorrent.of(elsewhere, made.torrentFile()));
        assertTrue(refused.getMessage().contains("which the .torrent does not"), refused.getMessage());
    }

    @Test
    void forged_event_naming_another_bucket_or_key_for_its_torrent_file() throws Exception {
        TorrentPublishedEvent e = TestTorrents.make(TorrentFormat.V1, PIECE, 6, 10_000).event();
        assertEquals(ObjectKeys.torrent(UUID.fromString(e.artifactId())), SeededTorrent.torrentFileKey(e, "shoal"));
        assertThrows(MetainfoException.class, () -> SeededTorrent.torrentFileKey(e, "another-bucket"));
        for (String key : List.of("backups/db.dump", "torrents/../backups/db.dump", ObjectKeys.torrent(UUID.randomUUID()))) {
            TorrentPublishedEvent forged = new TorrentPublishedEvent(e.artifactId(), e.name(), e.infoHash(), null, e.format(),
                    e.pieceLength(), e.size(), e.sha256(), false, true, e.files(), e.trackers(), e.bucket(), key, 0);
            assertThrows(MetainfoException.class, () -> SeededTorrent.torrentFileKey(forged, "shoal"), key);
        }
    }
}
