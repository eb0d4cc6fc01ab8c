package io.shoal.seeder;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.shoal.bittorrent.mse.MseHandshake;
import io.shoal.events.SeederStatsEvent;
import io.shoal.seeder.catalog.TorrentAssignments;
import io.shoal.seeder.storage.PieceStore;
import io.shoal.seeder.swarm.Swarm;
import io.shoal.seeder.torrent.SeededTorrent;
import io.shoal.seeder.wire.CloseReason;
import io.shoal.seeder.wire.Seeding;
import io.shoal.seeder.wire.WireEvents;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** What an operator watches on a seeder-worker: bytes out, cache, object store reads, connections, failures. */
@ApplicationScoped
public class SeederMetrics implements PieceStore.Listener, WireEvents {

    private final MeterRegistry registry;
    private final Counter served;
    private final Counter storeRead;
    private final Counter hits;
    private final Counter misses;
    private final Counter verificationFailures;
    private final Counter metadata;
    private final Counter hashes;
    private final AtomicLong cacheBytes = new AtomicLong();
    private final Map<String, Counter> closed = new ConcurrentHashMap<>();
    private final Map<String, FunctionCounter> perTorrent = new ConcurrentHashMap<>();

    SeederMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.served = Counter.builder("shoal.seeder.bytes.served").description("block bytes sent to peers").register(registry);
        this.storeRead = Counter.builder("shoal.seeder.object.store.bytes.read").description("bytes read from the object store").register(registry);
        this.hits = Counter.builder("shoal.seeder.cache.hits").description("block requests answered from pieces in memory").register(registry);
        this.misses = Counter.builder("shoal.seeder.cache.misses").description("pieces asked for that had to be read from the object store").register(registry);
        this.verificationFailures = Counter.builder("shoal.seeder.piece.verification.failures")
                .description("pieces read from the object store that did not match their hash (never served)").register(registry);
        this.metadata = Counter.builder("shoal.seeder.metadata.pieces.served").description("BEP 9 metadata pieces sent").register(registry);
        this.hashes = Counter.builder("shoal.seeder.hashes.served").description("BEP 52 hash requests answered").register(registry);
        registry.gauge("shoal.seeder.cache.bytes", cacheBytes);
    }

    /** Gauges that read the live state: torrents seeded and connections open. */
    void watch(Seeding seeding) {
        registry.gauge("shoal.seeder.torrents", seeding, s -> s.swarms().size());
        registry.gauge("shoal.seeder.connections", seeding, Seeding::connections);
    }

    /** Partitions of shoal.torrents this worker owns: 0 means it seeds nothing, whatever is published. */
    void watch(TorrentAssignments assignments) {
        Gauge.builder("shoal.seeder.partitions.assigned", assignments, TorrentAssignments::partitions)
                .description("partitions of shoal.torrents this worker seeds").register(registry);
    }

    void seeding(Swarm swarm) {
        SeededTorrent torrent = swarm.torrent();
        FunctionCounter counter = FunctionCounter.builder("shoal.seeder.torrent.bytes.served", swarm, Swarm::servedBytes)
                .tag("torrent", torrent.key()).description("block bytes sent for one torrent").register(registry);
        FunctionCounter previous = perTorrent.put(torrent.key(), counter);
        if (previous != null && previous != counter) {
            registry.remove(previous);
        }
    }

    void retired(String key) {
        FunctionCounter counter = perTorrent.remove(key);
        if (counter != null) {
            registry.remove(counter);
        }
    }

    /** The cache's counters as {@code shoal.seeder.stats} carries them. */
    SeederStatsEvent.CacheStats cache() {
        return new SeederStatsEvent.CacheStats((long) hits.count(), (long) misses.count(), cacheBytes.get(), (long) storeRead.count());
    }

    @Override
    public void read(long bytes) {
        storeRead.increment(bytes);
    }

    @Override
    public void hit() {
        hits.increment();
    }

    @Override
    public void miss() {
        misses.increment();
    }

    @Override
    public void verificationFailed(SeededTorrent torrent, int piece) {
        verificationFailures.increment();
    }

    @Override
    public void cached(long bytes) {
        cacheBytes.set(bytes);
    }

    @Override
    public void opened(boolean outgoing) {
        registry.counter("shoal.seeder.connections.opened", "direction", outgoing ? "out" : "in").increment();
    }

    @Override
    public void closed(CloseReason reason) {
        closed.computeIfAbsent(reason.tag(), k -> Counter.builder("shoal.seeder.connections.closed").tag("reason", k)
                .description("connections ended, by why").register(registry)).increment();
    }

    @Override
    public void negotiated(MseHandshake.Method method) {
        registry.counter("shoal.seeder.connections.handshaken", "encryption", method.name().toLowerCase(Locale.ROOT))
                .increment();
    }

    @Override
    public void served(long bytes) {
        served.increment(bytes);
    }

    @Override
    public void metadataServed() {
        metadata.increment();
    }

    @Override
    public void hashesServed() {
        hashes.increment();
    }
}
