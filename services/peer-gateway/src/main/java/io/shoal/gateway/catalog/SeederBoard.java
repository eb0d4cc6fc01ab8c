package io.shoal.gateway.catalog;

import io.shoal.events.SeederStatsEvent;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * What the seeder-workers said last on {@code shoal.seeder.stats}, for the dashboard and {@code /api/v1/seeders}:
 * each worker's connections, torrents and cache, and per torrent the bytes served over the last hour in
 * {@link #BUCKET} steps. Read from the end by every gateway instance (a restarted gateway starts with an empty
 * history). Bounded whatever a record says: {@link #MAX_WORKERS} workers (silent ones dropped after
 * {@link #FORGET_AFTER}), {@link #MAX_TORRENTS_PER_WORKER} torrents per worker, {@link #MAX_HISTORIES} torrents with
 * a history (the least recently served dropped first), names and addresses cut to {@link #MAX_TEXT} characters.
 */
@ApplicationScoped
public class SeederBoard {

    public static final Duration BUCKET = Duration.ofSeconds(10);
    public static final int BUCKETS = 360;
    static final int MAX_WORKERS = 1_000;
    static final int MAX_TORRENTS_PER_WORKER = 10_000;
    static final int MAX_HISTORIES = 2_000;
    static final int MAX_TEXT = 255;
    static final Duration FORGET_AFTER = Duration.ofMinutes(5);
    private static final Pattern SWARM_KEY = Pattern.compile("[0-9a-f]{40}");

    /** One worker as it last described itself, and when (this gateway's clock). */
    public record Worker(String seederId, String address, int connections, List<Seeded> torrents,
                         SeederStatsEvent.CacheStats cache, long seenAtMillis) {

        public long bytesServed() {
            return torrents.stream().mapToLong(Seeded::bytesServed).sum();
        }
    }

    /** A torrent a worker seeds: bytes served since the worker started seeding it, peers connected now. */
    public record Seeded(String infoHash, String name, long bytesServed, int peers, boolean superSeeding) {
    }

    /** Bytes the seeders served in one bucket, starting at {@code atMillis}. */
    public record Point(long atMillis, long bytes) {

        public double bytesPerSecond() {
            return bytes * 1000.0 / BUCKET.toMillis();
        }
    }

    private final Map<String, Worker> workers = new LinkedHashMap<>();
    private final Map<String, History> histories = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, History> eldest) {
            return size() > MAX_HISTORIES;
        }
    };
    private final LongSupplier clock;

    SeederBoard() {
        this(System::currentTimeMillis);
    }

    SeederBoard(LongSupplier millis) {
        this.clock = millis;
    }

    /** One worker's record. */
    public synchronized void seen(SeederStatsEvent stats) {
        long now = clock.getAsLong();
        workers.values().removeIf(w -> now - w.seenAtMillis() > FORGET_AFTER.toMillis());
        String id = text(stats.seederId());
        if (id.isEmpty() || (!workers.containsKey(id) && workers.size() >= MAX_WORKERS)) {
            return;
        }
        List<Seeded> torrents = new ArrayList<>();
        for (SeederStatsEvent.TorrentStats torrent : stats.torrents()) {
            String key = torrent.infoHash();
            if (key == null || !SWARM_KEY.matcher(key).matches() || torrents.size() >= MAX_TORRENTS_PER_WORKER) {
                continue;
            }
            torrents.add(new Seeded(key, text(torrent.name()), Math.max(0, torrent.bytesServed()), Math.max(0, torrent.peers()),
                    torrent.superSeeding()));
            if (torrent.bytesServedInterval() > 0) {
                histories.computeIfAbsent(key, k -> new History()).add(now, torrent.bytesServedInterval());
            }
        }
        workers.remove(id);
        workers.put(id, new Worker(id, text(stats.advertisedAddress()), Math.max(0, stats.connections()), List.copyOf(torrents),
                stats.cache(), now));
    }

    /** Workers heard from within {@link #FORGET_AFTER}, by id. */
    public synchronized List<Worker> workers() {
        long now = clock.getAsLong();
        return workers.values().stream().filter(w -> now - w.seenAtMillis() <= FORGET_AFTER.toMillis())
                .sorted(Comparator.comparing(Worker::seederId)).toList();
    }

    /** The workers that named this torrent in their last record. */
    public List<Worker> seeding(String swarmKey) {
        return workers().stream().filter(w -> w.torrents().stream().anyMatch(t -> t.infoHash().equals(swarmKey))).toList();
    }

    /** Bytes the workers that seed it now say they served of it. */
    public long bytesServed(String swarmKey) {
        return seeding(swarmKey).stream().flatMap(w -> w.torrents().stream()).filter(t -> t.infoHash().equals(swarmKey))
                .mapToLong(Seeded::bytesServed).sum();
    }

    /** The last hour, {@link #BUCKETS} points oldest first, the current (partial) bucket last. */
    public synchronized List<Point> history(String swarmKey) {
        History history = histories.get(swarmKey);
        long bucket = clock.getAsLong() / BUCKET.toMillis();
        List<Point> points = new ArrayList<>(BUCKETS);
        for (long b = bucket - BUCKETS + 1; b <= bucket; b++) {
            points.add(new Point(b * BUCKET.toMillis(), history == null ? 0 : history.at(b)));
        }
        return points;
    }

    private static String text(String s) {
        if (s == null) {
            return "";
        }
        String printable = s.replaceAll("\\p{Cntrl}", "?");
        return printable.length() <= MAX_TEXT ? printable : printable.substring(0, MAX_TEXT);
    }

    /** A ring of {@link #BUCKETS} byte counts; {@code last} the newest bucket written. */
    private static final class History {
        private final long[] bytes = new long[BUCKETS];
        private long last = Long.MIN_VALUE;

        void add(long nowMillis, long served) {
            long bucket = nowMillis / BUCKET.toMillis();
            if (last == Long.MIN_VALUE || bucket - last >= BUCKETS) {
                java.util.Arrays.fill(bytes, 0);
            } else {
                for (long b = last + 1; b <= bucket; b++) {
                    bytes[(int) Math.floorMod(b, BUCKETS)] = 0;
                }
            }
            last = Math.max(last, bucket);
            if (last - bucket < BUCKETS) {
                int slot = (int) Math.floorMod(bucket, BUCKETS);
                bytes[slot] = saturatedAdd(bytes[slot], served);
            }
        }

        long at(long bucket) {
            return bucket > last || last - bucket >= BUCKETS ? 0 : bytes[(int) Math.floorMod(bucket, BUCKETS)];
        }

        private static long saturatedAdd(long a, long b) {
            long sum = a + b;
            return sum < 0 ? Long.MAX_VALUE : sum;
        }
    }
}
