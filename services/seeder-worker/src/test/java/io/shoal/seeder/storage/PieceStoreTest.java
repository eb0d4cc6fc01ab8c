package io.shoal.seeder.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shoal.bittorrent.metainfo.TorrentFormat;
import io.shoal.objectstore.ObjectKeys;
import io.shoal.seeder.SeederMetricsStub;
import io.shoal.seeder.torrent.SeededTorrent;
import io.shoal.seeder.torrent.TestTorrents;
import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PieceStoreTest {

    private static final int PIECE = 32 * 1024;

    /** An in-memory store that counts ranged reads and can corrupt objects. */
    static final class Objects implements ObjectRanges {
        final Map<String, byte[]> bytes = new ConcurrentHashMap<>();
        final AtomicInteger reads = new AtomicInteger();

        @Override
        public void read(String key, long offset, byte[] into, int at, int length) throws IOException {
            reads.incrementAndGet();
            byte[] object = bytes.get(key);
            if (object == null || offset + length > object.length) {
                throw new IOException("no such range");
            }
            System.arraycopy(object, (int) offset, into, at, length);
        }
    }

    static final class Counting extends SeederMetricsStub {
        final AtomicInteger failures = new AtomicInteger();

        @Override
        public void verificationFailed(SeededTorrent torrent, int piece) {
            failures.incrementAndGet();
        }
    }

    @Test
    void piecesAreReadAcrossFilesVerifiedAndCachedWithinTheBound() throws Exception {
        TestTorrents.Made made = TestTorrents.make(TorrentFormat.V1, PIECE, 1, 10_000, 90_000, 30_000);
        Objects objects = new Objects();
        objects.bytes.putAll(made.objects());
        PieceStore store = new PieceStore(objects, 2L * PIECE, 0, Executors.newFixedThreadPool(2), new Counting());
        SeededTorrent t = made.torrent();
        byte[] piece0 = store.load(t, 0).get(5, TimeUnit.SECONDS);
        byte[] expected = new byte[PIECE];
        System.arraycopy(made.objects().get(ObjectKeys.content(TestTorrents.ARTIFACT, 0)), 0, expected, 0, 10_000);
        System.arraycopy(made.objects().get(ObjectKeys.content(TestTorrents.ARTIFACT, 1)), 0, expected, 10_000, PIECE - 10_000);
        assertArrayEquals(expected, piece0, "one piece from two objects");
        assertEquals(2, objects.reads.get(), "one ranged read per object");
        assertArrayEquals(piece0, store.cached(t, 0));
        store.load(t, 1).get(5, TimeUnit.SECONDS);
        store.load(t, 2).get(5, TimeUnit.SECONDS);
        assertTrue(store.cachedBytes() <= 2L * PIECE, "the cache stays within its size");
        assertNull(store.cached(t, 0), "the least recently used piece went first");
        store.forget(t);
        assertEquals(0, store.cachedBytes());
    }

    @Test
    void aPieceThatDoesNotMatchItsHashIsNeverHandedOut() throws Exception {
        TestTorrents.Made made = TestTorrents.make(TorrentFormat.V2, PIECE, 2, 100_000);
        Objects objects = new Objects();
        objects.bytes.putAll(made.objects());
        objects.bytes.get(ObjectKeys.content(TestTorrents.ARTIFACT, 0))[PIECE + 5] ^= 1; // piece 1 is corrupt in the store
        Counting listener = new Counting();
        PieceStore store = new PieceStore(objects, 1 << 20, 1, Executors.newFixedThreadPool(2), listener);
        ExecutionException failure = assertThrows(ExecutionException.class, () -> store.load(made.torrent(), 1).get(5, TimeUnit.SECONDS));
        assertInstanceOf(PieceUnavailableException.class, failure.getCause());
        assertEquals(1, listener.failures.get(), "reported");
        assertNull(store.cached(made.torrent(), 1), "not cached");
        byte[] tail = store.load(made.torrent(), 3).get(5, TimeUnit.SECONDS);
        assertEquals(PIECE, tail.length, "the others still serve; a v2 file's short tail is held padded");
        assertArrayEquals(new byte[PIECE - (100_000 - 3 * PIECE)], Arrays.copyOfRange(tail, 100_000 - 3 * PIECE, PIECE));
    }

    @Test
    void concurrentAsksShareOneReadAndAMissReadsAhead() throws Exception {
        TestTorrents.Made made = TestTorrents.make(TorrentFormat.V1, PIECE, 3, 5 * PIECE);
        Objects objects = new Objects();
        objects.bytes.putAll(made.objects());
        PieceStore store = new PieceStore(objects, 1 << 20, 2, Executors.newSingleThreadExecutor(), new Counting());
        var a = store.load(made.torrent(), 0);
        var b = store.load(made.torrent(), 0);
        assertArrayEquals(a.get(5, TimeUnit.SECONDS), b.get(5, TimeUnit.SECONDS));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (store.cached(made.torrent(), 2) == null && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(store.cached(made.torrent(), 1) != null && store.cached(made.torrent(), 2) != null, "read ahead");
        assertEquals(3, objects.reads.get(), "pieces 0, 1, 2 read once each");
    }

    @Test
    void aReadThatThrowsAnErrorFailsItsAskersInsteadOfLeavingThemWaiting() throws Exception {
        TestTorrents.Made made = TestTorrents.make(TorrentFormat.V1, PIECE, 4, 2 * PIECE);
        ObjectRanges exhausted = (key, offset, into, at, length) -> {
            throw new OutOfMemoryError("Java heap space");
        };
        PieceStore store = new PieceStore(exhausted, 1 << 20, 0, Executors.newSingleThreadExecutor(), new Counting());
        ExecutionException failure = assertThrows(ExecutionException.class, () -> store.load(made.torrent(), 0).get(5, TimeUnit.SECONDS));
        assertInstanceOf(PieceUnavailableException.class, failure.getCause());
    }
}
