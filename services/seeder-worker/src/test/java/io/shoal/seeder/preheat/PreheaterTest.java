package io.shoal.seeder.preheat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shoal.bittorrent.metainfo.TorrentFormat;
import io.shoal.events.PreheatRequestedEvent;
import io.shoal.events.SeederStatsEvent;
import io.shoal.objectstore.ObjectKeys;
import io.shoal.seeder.SeederMetricsStub;
import io.shoal.seeder.storage.MemoryObjects;
import io.shoal.seeder.storage.PieceStore;
import io.shoal.seeder.torrent.SeededTorrent;
import io.shoal.seeder.torrent.TestTorrents;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PreheaterTest {

    private static final int PIECE = 32 * 1024;
    private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private final ExecutorService readers = Executors.newFixedThreadPool(2);

    @AfterEach
    void stop() {
        readers.shutdownNow();
    }

    private static PreheatRequestedEvent request(SeededTorrent torrent, Instant at) {
        return new PreheatRequestedEvent(torrent.key(), torrent.name(), at.toEpochMilli());
    }

    private static SeederStatsEvent.PreheatStats finished(Preheater preheater, SeededTorrent torrent) throws InterruptedException {
        for (int i = 0; i < 500; i++) {
            SeederStatsEvent.PreheatStats stats = preheater.stats(torrent.key()).orElseThrow();
            if (stats.finishedAtMillis() != 0) {
                return stats;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the preheat did not finish: " + preheater.stats(torrent.key()));
    }

    @Test
    void aTorrentSeededHereIsReadWholeIntoTheCacheAndThenServedWithoutReadingTheStore() throws Exception {
        TestTorrents.Made made = TestTorrents.make(TorrentFormat.V1, PIECE, 1, 100_000, 60_000);
        MemoryObjects objects = new MemoryObjects();
        objects.bytes.putAll(made.objects());
        PieceStore store = new PieceStore(objects, 1 << 20, 0, readers, new SeederMetricsStub());
        Preheater preheater = new Preheater(store, 2, Duration.ofHours(1), CLOCK);
        SeededTorrent torrent = made.torrent();
        assertTrue(preheater.stats(torrent.key()).isEmpty(), "nothing to report before a request");

        preheater.requested(request(torrent, NOW.minusSeconds(5)), Optional.of(torrent));
        SeederStatsEvent.PreheatStats stats = finished(preheater, torrent);
        assertEquals(NOW.minusSeconds(5).toEpochMilli(), stats.requestedAtMillis(), "the report names the request");
        assertEquals(160_000, stats.bytesWanted());
        assertEquals(160_000, stats.bytesRead());
        assertEquals(0, stats.piecesFailed());
        assertTrue(stats.wholeTorrent());
        assertEquals(160_000, store.cachedBytes(torrent), "every piece in the cache");
        int reads = objects.reads.get();
        for (int p = 0; p < torrent.pieceCount(); p++) {
            store.load(torrent, p).get();
        }
        assertEquals(reads, objects.reads.get(), "hosts asking afterwards read nothing from the store");

        preheater.requested(request(torrent, NOW.minusSeconds(5)), Optional.of(torrent));
        assertEquals(stats, preheater.stats(torrent.key()).orElseThrow(), "the same request read again changes nothing");
    }

    @Test
    void aRequestForATorrentNotSeededHereWaitsForItWithinTheWindow() throws Exception {
        TestTorrents.Made made = TestTorrents.make(TorrentFormat.V2, PIECE, 2, 3 * PIECE + 5);
        MemoryObjects objects = new MemoryObjects();
        objects.bytes.putAll(made.objects());
        PieceStore store = new PieceStore(objects, 1 << 20, 0, readers, new SeederMetricsStub());
        Preheater preheater = new Preheater(store, 3, Duration.ofHours(1), CLOCK);
        SeededTorrent torrent = made.torrent();

        preheater.requested(request(torrent, NOW.minusSeconds(60)), Optional.empty());
        assertEquals(0, objects.reads.get(), "not seeded here: nothing read");
        assertTrue(preheater.stats(torrent.key()).isEmpty());
        preheater.seeding(torrent); // the torrent moved to this worker (its worker failed)
        SeederStatsEvent.PreheatStats stats = finished(preheater, torrent);
        assertEquals(NOW.minusSeconds(60).toEpochMilli(), stats.requestedAtMillis());
        assertEquals(3 * PIECE + 5, stats.bytesRead());

        preheater.retired(torrent.key());
        assertTrue(preheater.stats(torrent.key()).isEmpty(), "retired: no preheat to report");

        MemoryObjects more = new MemoryObjects();
        TestTorrents.Made later = TestTorrents.make(TorrentFormat.V1, PIECE, 6, 2 * PIECE);
        more.bytes.putAll(later.objects());
        java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong(NOW.toEpochMilli());
        Clock moving = new Clock() {
            @Override
            public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return Instant.ofEpochMilli(now.get());
            }
        };
        Preheater reporting = new Preheater(new PieceStore(more, 1 << 20, 0, readers, new SeederMetricsStub()), 1, Duration.ofHours(1), moving);
        reporting.requested(request(later.torrent(), NOW), Optional.of(later.torrent()));
        finished(reporting, later.torrent());
        now.addAndGet(Duration.ofMinutes(59).toMillis());
        assertTrue(reporting.stats(later.torrent().key()).isPresent(), "a finished preheat is reported for the window");
        now.addAndGet(Duration.ofMinutes(2).toMillis());
        assertTrue(reporting.stats(later.torrent().key()).isEmpty(), "then no more: each report is a write in metadata");

        TestTorrents.Made other = TestTorrents.make(TorrentFormat.V1, PIECE, 3, 2 * PIECE);
        objects.bytes.putAll(other.objects());
        preheater.requested(request(other.torrent(), NOW.minus(Duration.ofMinutes(61))), Optional.empty());
        preheater.seeding(other.torrent());
        assertTrue(preheater.stats(other.torrent().key()).isEmpty(), "a request older than the window is moot");
    }

    @Test
    void aTorrentLargerThanTheCacheIsPreheatedAsFarAsItsShareOfTheCache() throws Exception {
        TestTorrents.Made made = TestTorrents.make(TorrentFormat.V1, PIECE, 4, 20 * PIECE);
        MemoryObjects objects = new MemoryObjects();
        objects.bytes.putAll(made.objects());
        PieceStore store = new PieceStore(objects, 10L * PIECE, 0, readers, new SeederMetricsStub());
        Preheater preheater = new Preheater(store, 4, Duration.ofHours(1), CLOCK);
        SeededTorrent torrent = made.torrent();
        preheater.requested(request(torrent, NOW), Optional.of(torrent));
        SeederStatsEvent.PreheatStats stats = finished(preheater, torrent);
        assertFalse(stats.wholeTorrent());
        assertEquals(9L * PIECE, stats.bytesWanted(), "90% of the cache: room stays for other torrents' pieces");
        assertEquals(9L * PIECE, store.cachedBytes(torrent), "nothing it read was evicted by its own reads");
    }

    @Test
    void aPieceThatDoesNotMatchItsHashIsCountedAsFailedAndNotCached() throws Exception {
        TestTorrents.Made made = TestTorrents.make(TorrentFormat.V1, PIECE, 5, 4 * PIECE);
        MemoryObjects objects = new MemoryObjects();
        objects.bytes.putAll(made.objects());
        objects.bytes.get(ObjectKeys.content(made.artifact(), 0))[2 * PIECE + 7] ^= 1;
        PieceStore store = new PieceStore(objects, 1 << 20, 0, readers, new SeederMetricsStub());
        Preheater preheater = new Preheater(store, 2, Duration.ofHours(1), CLOCK);
        SeededTorrent torrent = made.torrent();
        preheater.requested(request(torrent, NOW), Optional.of(torrent));
        SeederStatsEvent.PreheatStats stats = finished(preheater, torrent);
        assertEquals(1, stats.piecesFailed());
        assertEquals(3L * PIECE, stats.bytesRead());
        assertEquals(3L * PIECE, store.cachedBytes(torrent));
    }
}
