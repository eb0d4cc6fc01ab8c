package io.shoal.seeder.storage;

import io.shoal.seeder.torrent.Extent;
import io.shoal.seeder.torrent.SeededTorrent;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.jboss.logging.Logger;

/**
 * Whole pieces read from the object store, verified against their hash before anything of them is served,
 * and kept in a bounded LRU cache. Concurrent asks for one piece share one read; a miss reads a few
 * following pieces ahead, since clients mostly ask for neighbours. A piece that does not verify is never
 * handed out, not cached, and reported (log line and metric); the next ask reads it again.
 */
public final class PieceStore {

    private static final Logger LOG = Logger.getLogger(PieceStore.class);

    /** What a piece store reports; the worker's metrics implement it. */
    public interface Listener {
        void read(long bytes);

        void hit();

        void miss();

        void verificationFailed(SeededTorrent torrent, int piece);

        void cached(long bytes);
    }

    public record PieceKey(String torrent, int piece) {
    }

    private final ObjectRanges ranges;
    private final long capacity;
    private final int readAhead;
    private final Executor readers;
    private final Listener listener;
    private final LinkedHashMap<PieceKey, byte[]> cache = new LinkedHashMap<>(256, 0.75f, true);
    private final Map<PieceKey, CompletableFuture<byte[]>> reading = new ConcurrentHashMap<>();
    private long cachedBytes;

    public PieceStore(ObjectRanges ranges, long capacity, int readAhead, Executor readers, Listener listener) {
        this.ranges = ranges;
        this.capacity = capacity;
        this.readAhead = readAhead;
        this.readers = readers;
        this.listener = listener;
    }

    /** The verified piece if it is in memory; null otherwise (then {@link #load}). */
    public byte[] cached(SeededTorrent torrent, int piece) {
        byte[] bytes;
        synchronized (cache) {
            bytes = cache.get(new PieceKey(torrent.key(), piece));
        }
        if (bytes != null) {
            listener.hit();
        }
        return bytes;
    }

    /** The verified piece, read if needed; fails with {@link PieceUnavailableException}. */
    public CompletableFuture<byte[]> load(SeededTorrent torrent, int piece) {
        byte[] hit = cached(torrent, piece);
        if (hit != null) {
            return CompletableFuture.completedFuture(hit);
        }
        listener.miss();
        CompletableFuture<byte[]> future = start(torrent, piece);
        for (int next = piece + 1; next <= piece + readAhead && next < torrent.pieceCount(); next++) {
            if (!contains(torrent, next)) {
                start(torrent, next);
            }
        }
        return future;
    }

    private boolean contains(SeededTorrent torrent, int piece) {
        synchronized (cache) {
            return cache.containsKey(new PieceKey(torrent.key(), piece));
        }
    }

    private CompletableFuture<byte[]> start(SeededTorrent torrent, int piece) {
        PieceKey key = new PieceKey(torrent.key(), piece);
        CompletableFuture<byte[]> created = new CompletableFuture<>();
        CompletableFuture<byte[]> existing = reading.putIfAbsent(key, created);
        if (existing != null) {
            return existing;
        }
        try {
            readers.execute(() -> {
                try {
                    byte[] bytes = read(torrent, piece);
                    if (!torrent.verify(piece, bytes)) {
                        listener.verificationFailed(torrent, piece);
                        LOG.errorf("piece %d of %s read from the object store does not match its hash; not served",
                                piece, torrent);
                        throw new PieceUnavailableException("piece " + piece + " failed verification");
                    }
                    put(key, bytes);
                    created.complete(bytes);
                } catch (IOException e) {
                    LOG.warnf("cannot read piece %d of %s: %s", piece, torrent, e.getMessage());
                    created.completeExceptionally(new PieceUnavailableException("piece " + piece + " cannot be read"));
                } catch (PieceUnavailableException e) {
                    created.completeExceptionally(e);
                } catch (RuntimeException | Error e) { // an OutOfMemoryError too: a read must never leave its askers waiting
                    LOG.errorf("reading piece %d of %s failed: %s", piece, torrent, e.toString());
                    created.completeExceptionally(new PieceUnavailableException("piece " + piece + " cannot be read"));
                } finally {
                    reading.remove(key, created);
                }
            });
        } catch (RuntimeException e) {
            reading.remove(key, created);
            created.completeExceptionally(new PieceUnavailableException("piece " + piece + ": readers busy"));
        }
        return created;
    }

    /** The piece as a peer may request it: a v2 file's short tail piece padded with zeros to the piece length. */
    private byte[] read(SeededTorrent torrent, int piece) throws IOException {
        byte[] out = new byte[torrent.requestableSize(piece)];
        int at = 0;
        for (Extent extent : torrent.extentsOf(piece)) {
            int length = (int) extent.length();
            if (!extent.pad()) {
                ranges.read(extent.objectKey(), extent.start(), out, at, length);
                listener.read(length);
            }
            at += length;
        }
        if (at != torrent.pieceSize(piece)) {
            throw new IOException("piece " + piece + " maps to " + at + " bytes (expected: " + torrent.pieceSize(piece) + ")");
        }
        return out;
    }

    private void put(PieceKey key, byte[] bytes) {
        if (bytes.length > capacity) {
            return;
        }
        synchronized (cache) {
            byte[] previous = cache.put(key, bytes);
            cachedBytes += bytes.length - (previous == null ? 0 : previous.length);
            Iterator<byte[]> eldest = cache.values().iterator();
            while (cachedBytes > capacity && eldest.hasNext()) {
                cachedBytes -= eldest.next().length;
                eldest.remove();
            }
            listener.cached(cachedBytes);
        }
    }

    /** Drops a retired torrent's pieces. */
    public void forget(SeededTorrent torrent) {
        synchronized (cache) {
            Iterator<Map.Entry<PieceKey, byte[]>> it = cache.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<PieceKey, byte[]> entry = it.next();
                if (entry.getKey().torrent().equals(torrent.key())) {
                    cachedBytes -= entry.getValue().length;
                    it.remove();
                }
            }
            listener.cached(cachedBytes);
        }
    }

    public long cachedBytes() {
        synchronized (cache) {
            return cachedBytes;
        }
    }
}
