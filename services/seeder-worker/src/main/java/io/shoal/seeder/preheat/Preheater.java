package io.shoal.seeder.preheat;

import io.shoal.events.PreheatRequestedEvent;
import io.shoal.events.SeederStatsEvent;
import io.shoal.seeder.storage.PieceStore;
import io.shoal.seeder.torrent.SeededTorrent;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Preheats: an operator's request ({@link PreheatRequestedEvent}) that a torrent's pieces be in this worker's cache
 * before hosts ask. The worker seeding the torrent reads its pieces through the {@link PieceStore}, a few at a time and
 * behind every piece a peer waits for, each verified as any piece is; as much as fits when the cache is smaller than
 * the torrent. Requests for torrents this worker does not seed (yet) are remembered for {@code window}: a torrent that
 * moves here (its worker failed, the group rebalanced) or is published after the request is preheated when it arrives.
 * Thread-safe: requests come from the topic's follower, torrents from the loader.
 */
public final class Preheater {

    private static final Logger LOG = Logger.getLogger(Preheater.class);
    /** Requests remembered for torrents not seeded here; the oldest go first. */
    static final int MAX_REQUESTS = 10_000;
    /** What a partial preheat fills of the cache: the rest stays for the pieces peers are taking of other torrents. */
    static final int PARTIAL_SHARE_PERCENT = 90;

    private final PieceStore store;
    private final int parallel;
    private final Duration window;
    private final Clock clock;
    private final Map<String, PreheatRequestedEvent> requests = new LinkedHashMap<>();
    private final Map<String, Run> runs = new HashMap<>();

    public Preheater(PieceStore store, int parallel, Duration window, Clock clock) {
        if (parallel < 1) {
            throw new IllegalArgumentException("preheat reads at once: " + parallel + " (expected: >= 1)");
        }
        this.store = store;
        this.parallel = parallel;
        this.window = window;
        this.clock = clock;
    }

    /**
     * A request read from the topic; {@code seeded} is the torrent if this worker seeds it now. A request older than
     * the window, or older than the one already known for the torrent, changes nothing.
     */
    public synchronized void requested(PreheatRequestedEvent request, Optional<SeededTorrent> seeded) {
        if (clock.millis() - request.requestedAtMillis() > window.toMillis()) {
            return;
        }
        PreheatRequestedEvent known = requests.get(request.swarmKey());
        if (known != null && known.requestedAtMillis() >= request.requestedAtMillis()) {
            return;
        }
        requests.remove(request.swarmKey());
        requests.put(request.swarmKey(), request);
        if (requests.size() > MAX_REQUESTS) {
            requests.remove(requests.keySet().iterator().next());
        }
        seeded.ifPresent(torrent -> start(request, torrent));
    }

    /** This worker seeds {@code torrent} now (newly, or a newer publication of it): preheated if a request is pending. */
    public synchronized void seeding(SeededTorrent torrent) {
        PreheatRequestedEvent request = requests.get(torrent.key());
        if (request != null && clock.millis() - request.requestedAtMillis() <= window.toMillis()) {
            start(request, torrent);
        }
    }

    /** The torrent is no longer seeded here: its preheat stops (the request stays, should the torrent come back). */
    public synchronized void retired(String key) {
        Run run = runs.remove(key);
        if (run != null) {
            run.cancel();
        }
    }

    /**
     * What to report of the torrent's preheat in shoal.seeder.stats; empty if it had none here, or if it finished more
     * than the window ago (reported every stats interval until then, so one lost record loses nothing, but not forever:
     * each report is a write in metadata).
     */
    public synchronized Optional<SeederStatsEvent.PreheatStats> stats(String key) {
        Run run = runs.get(key);
        if (run == null || run.finishedAt != 0 && clock.millis() - run.finishedAt > window.toMillis()) {
            return Optional.empty();
        }
        return Optional.of(run.stats());
    }

    private void start(PreheatRequestedEvent request, SeededTorrent torrent) {
        Run running = runs.get(torrent.key());
        if (running != null) {
            if (running.request.requestedAtMillis() == request.requestedAtMillis() && running.torrent == torrent) {
                return; // the same request read again
            }
            running.cancel();
        }
        Run run = new Run(request, torrent, wanted(torrent));
        runs.put(torrent.key(), run);
        run.start();
    }

    /** Pieces 0 to n-1: the whole torrent when it fits in the cache, else what fills its share. */
    private int wanted(SeededTorrent torrent) {
        long total = 0;
        for (int p = 0; p < torrent.pieceCount(); p++) {
            total += torrent.requestableSize(p);
        }
        if (total <= store.capacity()) {
            return torrent.pieceCount();
        }
        long room = store.capacity() * PARTIAL_SHARE_PERCENT / 100;
        int n = 0;
        for (long used = 0; n < torrent.pieceCount() && used + torrent.requestableSize(n) <= room; n++) {
            used += torrent.requestableSize(n);
        }
        return n;
    }

    /** One preheat of one torrent: {@code parallel} chains of reads, each taking the next piece when its read ends. */
    private final class Run {
        final PreheatRequestedEvent request;
        final SeededTorrent torrent;
        final int pieces;
        final long bytesWanted;
        final long startedAt = clock.millis();
        final AtomicInteger next = new AtomicInteger();
        final AtomicInteger ended = new AtomicInteger();
        final AtomicInteger failed = new AtomicInteger();
        final AtomicLong bytesRead = new AtomicLong();
        volatile long finishedAt;
        volatile boolean cancelled;

        Run(PreheatRequestedEvent request, SeededTorrent torrent, int pieces) {
            this.request = request;
            this.torrent = torrent;
            this.pieces = pieces;
            long bytes = 0;
            for (int p = 0; p < pieces; p++) {
                bytes += torrent.pieceSize(p);
            }
            this.bytesWanted = bytes;
        }

        void start() {
            LOG.infof("preheating %s: %d of %d pieces, %d bytes%s", torrent, pieces, torrent.pieceCount(), bytesWanted,
                    pieces < torrent.pieceCount() ? " (what fits in the cache of " + (store.capacity() >> 20) + " MiB)" : "");
            if (pieces == 0) {
                finish();
                return;
            }
            for (int i = 0; i < parallel; i++) {
                readNext();
            }
        }

        /** Reads pieces until one has to wait for the store; its completion carries on. Pieces in memory count at once. */
        private void readNext() {
            while (!cancelled) {
                int piece = next.getAndIncrement();
                if (piece >= pieces) {
                    return;
                }
                CompletableFuture<Void> read = store.prefetch(torrent, piece);
                if (!read.isDone()) {
                    read.whenComplete((ok, error) -> {
                        ended(piece, error);
                        readNext();
                    });
                    return;
                }
                ended(piece, read.isCompletedExceptionally() ? new IllegalStateException("failed") : null);
            }
        }

        private void ended(int piece, Throwable error) {
            if (error == null) {
                bytesRead.addAndGet(torrent.pieceSize(piece));
            } else {
                failed.incrementAndGet();
            }
            if (ended.incrementAndGet() == pieces) {
                finish();
            }
        }

        private void finish() {
            finishedAt = Math.max(clock.millis(), 1);
            if (cancelled) {
                return;
            }
            double seconds = Math.max(1, finishedAt - startedAt) / 1000.0;
            if (failed.get() > 0) {
                LOG.warnf("preheated %s with %d of %d pieces failing (unreadable, or not matching their hash: see above)",
                        torrent, failed.get(), pieces);
            } else {
                LOG.infof("preheated %s: %d bytes in the cache after %.1f s (%.0f MB/s from the store)", torrent, bytesRead.get(),
                        seconds, bytesRead.get() / seconds / 1e6);
            }
        }

        void cancel() {
            cancelled = true;
        }

        SeederStatsEvent.PreheatStats stats() {
            return new SeederStatsEvent.PreheatStats(request.requestedAtMillis(), finishedAt, bytesWanted, bytesRead.get(),
                    failed.get(), pieces == torrent.pieceCount());
        }
    }
}
