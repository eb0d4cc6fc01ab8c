package io.shoal.seeder.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.shoal.bittorrent.metainfo.TorrentFormat;
import io.shoal.objectstore.ObjectKeys;
import io.shoal.seeder.SeederMetricsStub;
import io.shoal.seeder.torrent.SeededTorrent;
import io.shoal.seeder.torrent.TestTorrents;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PieceStoreTest {

    private static final int PIECE = 32 * 1024;

    /** The piece the store holds, copied out (and the reference it handed out released); null if none. */
    static byte[] cached(PieceStore store, SeededTorrent t, int piece) {
        ByteBuf buf = store.cached(t, piece);
        if (buf == null) {
            return null;
        }
        try {
            assertTrue(buf.isDirect(), "pieces live off the heap");
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }

    static byte[] load(PieceStore store, SeededTorrent t, int piece) throws Exception {
        store.load(t, piece).get(5, TimeUnit.SECONDS);
        return cached(store, t, piece);
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
        MemoryObjects objects = new MemoryObjects();
        objects.bytes.putAll(made.objects());
        PieceStore store = new PieceStore(objects, 2L * PIECE, 0, Executors.newFixedThreadPool(2), new Counting());
        SeededTorrent t = made.torrent();
        byte[] piece0 = load(store, t, 0);
        byte[] expected = new byte[PIECE];
        System.arraycopy(made.object(0), 0, expected, 0, 10_000);
        System.arraycopy(made.object(1), 0, expected, 10_000, PIECE - 10_000);
        assertArrayEquals(expected, piece0, "one piece from two objects");
        assertEquals(2, objects.reads.get(), "one ranged read per object");
        assertArrayEquals(piece0, cached(store, t, 0));
        ByteBuf held = store.cached(t, 0); // a block being sent
        load(store, t, 1);
        load(store, t, 2);
        assertTrue(store.cachedBytes() <= 2L * PIECE, "the cache stays within its size");
        assertNull(store.cached(t, 0), "the least recently used piece went first");
        assertEquals(1, held.refCnt(), "an evicted piece stays readable while a block of it is in flight");
        assertArrayEquals(piece0, ByteBufUtil.getBytes(held));
        held.release();
        assertEquals(0, held.refCnt(), "and is freed once the last block was sent");
        ByteBuf kept = store.cached(t, 2);
        store.forget(t, List.of());
        assertEquals(0, store.cachedBytes());
        assertEquals(1, kept.refCnt());
        kept.release();
    }

    @Test
    void aPieceThatDoesNotMatchItsHashIsNeverHandedOut() throws Exception {
        TestTorrents.Made made = TestTorrents.make(TorrentFormat.V2, PIECE, 2, 100_000);
        MemoryObjects objects = new MemoryObjects();
        objects.bytes.putAll(made.objects());
        objects.bytes.get(ObjectKeys.content(made.artifact(), 0))[PIECE + 5] ^= 1; // piece 1 is corrupt in the store
        Counting listener = new Counting();
        PieceStore store = new PieceStore(objects, 1 << 20, 1, Executors.newFixedThreadPool(2), listener);
        ExecutionException failure = assertThrows(ExecutionException.class, () -> store.load(made.torrent(), 1).get(5, TimeUnit.SECONDS));
        assertInstanceOf(PieceUnavailableException.class, failure.getCause());
        assertEquals(1, listener.failures.get(), "reported");
        assertNull(cached(store, made.torrent(), 1), "not cached");
        byte[] tail = load(store, made.torrent(), 3);
        assertEquals(PIECE, tail.length, "the others still serve; a v2 file's short tail is held padded");
        assertArrayEquals(new byte[PIECE - (100_000 - 3 * PIECE)], Arrays.copyOfRange(tail, 100_000 - 3 * PIECE, PIECE));
    }

    @Test
    void concurrentAsksShareOneReadAndAMissReadsAhead() throws Exception {
        TestTorrents.Made made = TestTorrents.make(TorrentFormat.V1, PIECE, 3, 5 * PIECE);
        MemoryObjects objects = new MemoryObjects();
        objects.bytes.putAll(made.objects());
        PieceStore store = new PieceStore(objects, 1 << 20, 2, Executors.newSingleThreadExecutor(), new Counting());
        var a = store.load(made.torrent(), 0);
        var b = store.load(made.torrent(), 0);
        a.get(5, TimeUnit.SECONDS);
        b.get(5, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (cached(store, made.torrent(), 2) == null && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(cached(store, made.torrent(), 1) != null && cached(store, made.torrent(), 2) != null, "read ahead");
        assertEquals(3, objects.reads.get(), "pieces 0, 1, 2 read once each");
    }

    /** A store whose reader executions are held until the test runs them, recording the pieces read in order. */
    record Held(PieceStore store, SeededTorrent torrent, List<Runnable> executions, List<Long> order) {
    }

    static Held held(int pieces) throws Exception {
        TestTorrents.Made made = TestTorrents.make(TorrentFormat.V1, PIECE, 5, pieces * PIECE);
        List<Long> order = new CopyOnWriteArrayList<>();
        ObjectRanges recording = (key, offset, into) -> {
            order.add(offset / PIECE);
            into.put(made.objects().get(key), (int) offset, into.remaining());
        };
        List<Runnable> executions = new ArrayList<>();
        return new Held(new PieceStore(recording, 1 << 20, 0, executions::add, new Counting()), made.torrent(), executions,
                order);
    }

    @Test
    void aPieceAPeerAsksForIsReadBeforeTheReadAhead() throws Exception {
        Held h = held(6);
        PieceStore store = h.store();
        SeededTorrent t = h.torrent();
        store.prefetch(t, 1);
        store.prefetch(t, 2);
        store.prefetch(t, 3);
        var asked = store.load(t, 4);
        var promoted = store.load(t, 3); // read ahead, then asked for: moves up too
        h.executions().forEach(Runnable::run);
        asked.get(5, TimeUnit.SECONDS);
        promoted.get(5, TimeUnit.SECONDS);
        assertEquals(List.of(3L, 4L, 1L, 2L), h.order(), "asked-for pieces first (the latest ask at the head)");
    }

    /** Peers asking again and again for a piece read ahead move it up once: the queue does not grow with the asks. */
    @Test
    void askingAgainForAPieceMovedUpAddsNoReads() throws Exception {
        Held h = held(3);
        PieceStore store = h.store();
        SeededTorrent t = h.torrent();
        store.prefetch(t, 1);
        store.prefetch(t, 2);
        List<CompletableFuture<Void>> asks = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            asks.add(store.load(t, 2));
        }
        assertEquals(3, h.executions().size(), "two reads queued, one moved up once: three executions");
        h.executions().forEach(Runnable::run);
        for (var ask : asks) {
            ask.get(5, TimeUnit.SECONDS);
        }
        assertEquals(List.of(2L, 1L), h.order(), "the asked-for piece first, each read once");
    }

    /**
     * A peer asking for a piece that waits behind read-ahead moves its read to the head of the queue while a reader
     * thread takes reads off it: the read must still run. (A read taken off the queue to be put back at its head was
     * missed by a reader polling at that moment; its askers then waited forever and the download stalled.)
     */
    @Test
    void aReadMovedUpWhileAReaderPollsIsNeverLost() throws Exception {
        TestTorrents.Made made = TestTorrents.make(TorrentFormat.V1, PIECE, 11, 2 * PIECE);
        MemoryObjects objects = new MemoryObjects();
        objects.bytes.putAll(made.objects());
        SeededTorrent t = made.torrent();
        var readers = Executors.newFixedThreadPool(1);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            for (int round = 0; System.nanoTime() < deadline; round++) {
                PieceStore store = new PieceStore(objects, 2L * PIECE, 0, readers, new Counting());
                store.prefetch(t, 0); // queued, and a reader woken for it...
                var asked = store.load(t, 0); // ...while the peer asks for it: moved up as the reader polls
                try {
                    asked.get(5, TimeUnit.SECONDS);
                } catch (TimeoutException e) {
                    throw new AssertionError("round " + round + ": the read was lost", e);
                }
                store.forget(t, List.of());
            }
        } finally {
            readers.shutdownNow();
        }
    }

    @Test
    void aReadThatThrowsAnErrorFailsItsAskersInsteadOfLeavingThemWaiting() throws Exception {
        TestTorrents.Made made = TestTorrents.make(TorrentFormat.V1, PIECE, 4, 2 * PIECE);
        ObjectRanges exhausted = (key, offset, into) -> {
            throw new OutOfMemoryError("Java heap space");
        };
        PieceStore store = new PieceStore(exhausted, 1 << 20, 0, Executors.newSingleThreadExecutor(), new Counting());
        ExecutionException failure = assertThrows(ExecutionException.class, () -> store.load(made.torrent(), 0).get(5, TimeUnit.SECONDS));
        assertInstanceOf(PieceUnavailableException.class, failure.getCause());
    }

    /**
     * Version 2 of a 3-file artifact shares two files with version 1 (the same objects: metadata keeps one per
     * SHA-256): with version 1 cached, serving version 2 reads only the changed file from the store, every piece of
     * it verifies against version 2's hashes, and retiring version 1 keeps the pieces version 2 still uses.
     */
    @Test
    void aFileTwoTorrentsShareIsReadAndCachedOnceForBoth() throws Exception {
        for (TorrentFormat format : List.of(TorrentFormat.HYBRID, TorrentFormat.V2)) {
            TestTorrents.Made v1 = TestTorrents.make(format, PIECE, 7, 100_000, 70_000, 50_000);
            TestTorrents.Made v2 = TestTorrents.nextVersion(v1, 1, 8);
            MemoryObjects objects = new MemoryObjects();
            objects.bytes.putAll(v1.objects());
            objects.bytes.putAll(v2.objects());
            PieceStore store = new PieceStore(objects, 64L * PIECE, 0, Executors.newFixedThreadPool(2), new Counting());
            SeededTorrent one = v1.torrent();
            SeededTorrent two = v2.torrent();
            for (int p = 0; p < one.pieceCount(); p++) {
                load(store, one, p);
            }
            assertEquals(v1.event().files().stream().map(f -> f.objectKey()).toList(), List.copyOf(objects.bytesRead.keySet().stream()
                    .sorted(java.util.Comparator.comparing(k -> v1.event().files().stream().map(f -> f.objectKey()).toList().indexOf(k))).toList()),
                    format + ": version 1 read its three files");
            objects.bytesRead.clear();
            long cachedBefore = store.cachedBytes();
            for (int p = 0; p < two.pieceCount(); p++) {
                byte[] piece = load(store, two, p);
                assertTrue(two.verify(p, piece), format + ": piece " + p + " as version 2 hashes it");
            }
            String changed = v2.event().files().get(1).objectKey();
            assertEquals(java.util.Set.of(changed), objects.bytesRead.keySet(), format + ": only the changed file is read for version 2");
            assertEquals(70_000L, objects.bytesRead.get(changed).get(), format.toString());
            long changedPieces = (70_000 + PIECE - 1) / PIECE;
            assertEquals(cachedBefore + changedPieces * PIECE, store.cachedBytes(), format + ": the shared pieces are cached once");
            long wholeTwo = 0;
            for (int p = 0; p < two.pieceCount(); p++) {
                wholeTwo += two.requestableSize(p);
            }
            assertEquals(wholeTwo, store.cachedBytes(two), format + ": all of version 2 is in memory, most of it cached for version 1");

            store.forget(one, List.of(one, two));
            assertEquals(wholeTwo, store.cachedBytes(two), format + ": retiring version 1 keeps what version 2 uses");
            assertEquals(store.cachedBytes(), wholeTwo, format + ": and drops the rest of version 1");
            store.forget(two, List.of(two)); // version 1 retired before: nothing else reads these objects
            assertEquals(0L, store.cachedBytes(), format.toString());
        }
    }
}
