package io.shoal.seeder.storage;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.shoal.seeder.torrent.Extent;
import io.shoal.seeder.torrent.SeededTorrent;
import io.shoal.seeder.torrent.SeededTorrent.PieceContent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jboss.logging.Logger;

/**
 * Whole pieces read from the object store, verified against their hash before anything of them is served,
 * and kept in a bounded LRU cache. Concurrent asks for one piece share one read; a miss reads a few
 * following pieces ahead, since clients mostly ask for neighbours. A piece that does not verify is never
 * handed out, not cached, and reported (log line and metric); the next ask reads it again.
 *
 * <p>Pieces live off the heap, in reference-counted direct buffers: the garbage collector never sees them
 * (no humongous objects, however large the pieces), and the socket writes blocks from them without the copy
 * a heap array costs. The cache holds one reference; {@link #cached} hands out another, and every block
 * written holds one until the socket took it. An evicted piece's memory is freed when its last block is
 * sent: what one connection can pin is bounded by its write buffer, since blocks are only written while the
 * socket takes them.
 */
public final class PieceStore {

    private static final Logger LOG = Logger.getLogger(PieceStore.class);
    private static final ByteBufAllocator PIECES = new UnpooledByteBufAllocator(true, false, false);

    /** What a piece store reports; the worker's metrics implement it. */
    public interface Listener {
        void read(long bytes);

        void hit();

        void miss();

        void verificationFailed(SeededTorrent torrent, int piece);

        void cached(long bytes);
    }

    private final ObjectRanges ranges;
    private final long capacity;
    private final int readAhead;
    private final Executor readers;
    private final Listener listener;
    /** Verified pieces by content (not by torrent): a piece two torrents share is read and kept once. */
    private final LinkedHashMap<PieceContent, ByteBuf> cache = new LinkedHashMap<>(256, 0.75f, true);
    private final Map<PieceContent, CompletableFuture<Void>> reading = new ConcurrentHashMap<>();
    /** Reads not started yet: asked-for pieces at the head, read-ahead at the tail; each task handed to the readers runs the head. */
    private final LinkedBlockingDeque<Runnable> waiting = new LinkedBlockingDeque<>();
    private long cachedBytes;

    public PieceStore(ObjectRanges ranges, long capacity, int readAhead, Executor readers, Listener listener) {
        this.ranges = ranges;
        this.capacity = capacity;
        this.readAhead = readAhead;
        this.readers = readers;
        this.listener = listener;
    }

    /**
     * The verified piece if it is in memory, as a buffer of its own indexes holding a reference the caller
     * must release; null otherwise (then {@link #load}).
     */
    public ByteBuf cached(SeededTorrent torrent, int piece) {
        ByteBuf bytes;
        synchronized (cache) {
            bytes = cache.get(torrent.contentOf(piece));
            if (bytes != null) {
                bytes = bytes.retainedDuplicate();
            }
        }
        if (bytes != null) {
            listener.hit();
        }
        return bytes;
    }

    /**
     * Reads the piece into the cache if it is not there (and a few after it); completes once it is there, or
     * failed with {@link PieceUnavailableException}. A piece larger than the whole cache is read, verified and
     * dropped: {@link #cached} stays null for it.
     */
    public CompletableFuture<Void> load(SeededTorrent torrent, int piece) {
        if (contains(torrent, piece)) {
            return CompletableFuture.completedFuture(null);
        }
        listener.miss();
        CompletableFuture<Void> future = start(torrent, piece, true);
        for (int next = piece + 1; next <= piece + readAhead && next < torrent.pieceCount(); next++) {
            prefetch(torrent, next);
        }
        return future;
    }

    /**
     * Starts reading a piece that is not in memory, behind every piece a peer is waiting for; completes as
     * {@link #load} does.
     */
    public CompletableFuture<Void> prefetch(SeededTorrent torrent, int piece) {
        if (contains(torrent, piece)) {
            return CompletableFuture.completedFuture(null);
        }
        return start(torrent, piece, false);
    }

    private boolean contains(SeededTorrent torrent, int piece) {
        synchronized (cache) {
            return cache.containsKey(torrent.contentOf(piece));
        }
    }

    private CompletableFuture<Void> start(SeededTorrent torrent, int piece, boolean asked) {
        PieceContent key = torrent.contentOf(piece);
        CompletableFuture<Void> created = new CompletableFuture<>();
        CompletableFuture<Void> existing = reading.putIfAbsent(key, created);
        if (existing != null) {
            if (asked) {
                promote(key);
            }
            return existing;
        }
        Runnable task = new Read(key, asked, () -> {
            ByteBuf bytes = null;
            try {
                bytes = read(torrent, piece);
                if (!torrent.verify(piece, bytes.nioBuffer())) {
                    listener.verificationFailed(torrent, piece);
                    LOG.errorf("piece %d of %s read from the object store does not match its hash; not served",
                            piece, torrent);
                    throw new PieceUnavailableException("piece " + piece + " failed verification");
                }
                put(key, bytes);
                bytes = null;
                created.complete(null);
            } catch (IOException e) {
                LOG.warnf("cannot read piece %d of %s: %s", piece, torrent, e.getMessage());
                created.completeExceptionally(new PieceUnavailableException("piece " + piece + " cannot be read"));
            } catch (PieceUnavailableException e) {
                created.completeExceptionally(e);
            } catch (RuntimeException | Error e) { // an OutOfMemoryError too: a read must never leave its askers waiting
                LOG.errorf("reading piece %d of %s failed: %s", piece, torrent, e.toString());
                created.completeExceptionally(new PieceUnavailableException("piece " + piece + " cannot be read"));
            } finally {
                if (bytes != null) {
                    bytes.release();
                }
                reading.remove(key, created);
            }
        });
        if (asked) {
            waiting.addFirst(task);
        } else {
            waiting.addLast(task);
        }
        try {
            readers.execute(this::runNext);
        } catch (RuntimeException e) {
            waiting.remove(task);
            reading.remove(key, created);
            created.completeExceptionally(new PieceUnavailableException("piece " + piece + ": readers busy"));
        }
        return created;
    }

    /** Every read queued has a reader execution of its own, which runs the read at the head of the queue. */
    private void runNext() {
        Runnable next = waiting.pollFirst();
        if (next != null) {
            next.run();
        }
    }

    /**
     * A read of a piece waiting behind read-ahead that a peer now asks for: queued once more, at the head, with
     * an execution of its own; whichever of its two places a reader takes first runs it. (Taking it out of its
     * place to put it back at the head let a reader polling in between find the queue empty: the read was never
     * run and its askers waited forever.) A read is moved up once: after that it waits only behind other asks,
     * and asking again adds no entries.
     */
    private void promote(PieceContent key) {
        for (Runnable r : waiting) {
            if (r instanceof Read read && read.key().equals(key)) {
                if (read.ask()) {
                    waiting.addFirst(read);
                    try {
                        readers.execute(this::runNext);
                    } catch (RuntimeException e) { // the readers are shut down: the worker is stopping
                        LOG.debugf("piece read not moved up: %s", e.getMessage());
                    }
                }
                return;
            }
        }
    }

    /** A read waiting for a reader thread; queued twice once moved up, it runs once. */
    private static final class Read implements Runnable {
        private final PieceContent key;
        private final Runnable body;
        private final AtomicBoolean asked;
        private final AtomicBoolean started = new AtomicBoolean();

        Read(PieceContent key, boolean asked, Runnable body) {
            this.key = key;
            this.asked = new AtomicBoolean(asked);
            this.body = body;
        }

        PieceContent key() {
            return key;
        }

        /** True the first time a peer asks for a read queued as read-ahead: it is to be moved up. */
        boolean ask() {
            return asked.compareAndSet(false, true);
        }

        @Override
        public void run() {
            if (started.compareAndSet(false, true)) {
                body.run();
            }
        }
    }

    /** The piece as a peer may request it: a v2 file's short tail piece padded with zeros to the piece length. */
    private ByteBuf read(SeededTorrent torrent, int piece) throws IOException {
        int size = torrent.requestableSize(piece);
        ByteBuf out = PIECES.directBuffer(size, size);
        try {
            out.setZero(0, size);
            int at = 0;
            for (Extent extent : torrent.extentsOf(piece)) {
                int length = (int) extent.length();
                if (!extent.pad()) {
                    ByteBuffer into = out.nioBuffer(at, length);
                    ranges.read(extent.objectKey(), extent.start(), into);
                    if (into.hasRemaining()) {
                        throw new IOException("piece " + piece + ": " + into.remaining() + " bytes of "
                                + extent.objectKey() + " missing");
                    }
                    listener.read(length);
                }
                at += length;
            }
            if (at != torrent.pieceSize(piece)) {
                throw new IOException("piece " + piece + " maps to " + at + " bytes (expected: " + torrent.pieceSize(piece) + ")");
            }
            out.writerIndex(size);
            return out;
        } catch (IOException | RuntimeException | Error e) {
            out.release();
            throw e;
        }
    }

    /** Takes over the read's reference: kept, or released at once when the piece is larger than the cache. */
    private void put(PieceContent key, ByteBuf bytes) {
        if (bytes.readableBytes() > capacity) {
            bytes.release();
            return;
        }
        synchronized (cache) {
            ByteBuf previous = cache.put(key, bytes);
            cachedBytes += bytes.readableBytes();
            if (previous != null) {
                cachedBytes -= previous.readableBytes();
                previous.release();
            }
            Iterator<Map.Entry<PieceContent, ByteBuf>> eldest = cache.entrySet().iterator();
            while (cachedBytes > capacity && eldest.hasNext()) {
                Map.Entry<PieceContent, ByteBuf> evicted = eldest.next();
                cachedBytes -= evicted.getValue().readableBytes();
                eldest.remove();
                evicted.getValue().release();
            }
            listener.cached(cachedBytes);
        }
    }

    /**
     * Drops a retired torrent's pieces, but for those of objects a torrent still seeded reads too (another artifact
     * with a file of the same content): they stay, for the LRU to judge.
     */
    public void forget(SeededTorrent torrent, Collection<SeededTorrent> stillSeeded) {
        Set<String> objects = new HashSet<>(torrent.objectKeys());
        stillSeeded.stream().filter(t -> !t.key().equals(torrent.key())).forEach(t -> objects.removeAll(t.objectKeys()));
        synchronized (cache) {
            Iterator<Map.Entry<PieceContent, ByteBuf>> it = cache.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<PieceContent, ByteBuf> entry = it.next();
                if (entry.getKey().extents().stream().anyMatch(e -> !e.pad() && objects.contains(e.objectKey()))) {
                    cachedBytes -= entry.getValue().readableBytes();
                    it.remove();
                    entry.getValue().release();
                }
            }
            listener.cached(cachedBytes);
        }
    }

    /** Bytes of this torrent's pieces in memory now, cached for it or for another torrent with the same content. */
    public long cachedBytes(SeededTorrent torrent) {
        return cachedBytes(List.of(torrent)).getOrDefault(torrent.key(), 0L);
    }

    /**
     * The same for several torrents (by key), in one pass: the cache's keys are copied under its lock and matched to
     * the torrents outside it, so serving never waits on this.
     */
    public Map<String, Long> cachedBytes(Collection<SeededTorrent> torrents) {
        List<PieceContent> contents;
        List<Integer> sizes;
        synchronized (cache) {
            contents = new ArrayList<>(cache.size());
            sizes = new ArrayList<>(cache.size());
            cache.forEach((content, bytes) -> {
                contents.add(content);
                sizes.add(bytes.readableBytes());
            });
        }
        Map<String, List<SeededTorrent>> byObject = new HashMap<>();
        for (SeededTorrent torrent : torrents) {
            torrent.objectKeys().forEach(key -> byObject.computeIfAbsent(key, k -> new ArrayList<>()).add(torrent));
        }
        Map<String, Long> cached = new HashMap<>();
        for (int i = 0; i < contents.size(); i++) {
            PieceContent content = contents.get(i);
            String object = content.extents().stream().filter(e -> !e.pad()).map(Extent::objectKey).findFirst().orElse(null);
            for (SeededTorrent torrent : byObject.getOrDefault(object, List.of())) {
                if (torrent.pieceWith(content) >= 0) {
                    cached.merge(torrent.key(), (long) sizes.get(i), Long::sum);
                }
            }
        }
        return cached;
    }

    public long capacity() {
        return capacity;
    }

    public long cachedBytes() {
        synchronized (cache) {
            return cachedBytes;
        }
    }
}
