package io.shoal.gateway.catalog;

import io.shoal.events.SeederStatsEvent;
import io.shoal.gateway.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * Which torrents a seeder-worker seeds now, from what each says on {@code shoal.seeder.stats} every stats
 * interval: a torrent counts as seeded for the TTL after the last worker named it. Read from the end by every
 * gateway instance; a record names only torrents (40 hex digits), at most {@link #MAX_TORRENTS} are remembered,
 * so a forged record can neither grow this without bound nor name anything but a swarm key.
 */
@ApplicationScoped
public class SeederPresence {

    private static final Logger LOG = Logger.getLogger(SeederPresence.class);
    static final int MAX_TORRENTS = 100_000;
    private static final Pattern SWARM_KEY = Pattern.compile("[0-9a-f]{40}");

    private final ConcurrentMap<String, Long> lastNamed = new ConcurrentHashMap<>();
    private volatile long lastRecord = Long.MIN_VALUE;
    private final long ttlNanos;
    private final LongSupplier clock;
    private volatile boolean full;

    @Inject
    SeederPresence(GatewayConfig config) {
        this(config.webSeed().seederTtl(), System::nanoTime);
    }

    SeederPresence(Duration ttl, LongSupplier clock) {
        this.ttlNanos = ttl.toNanos();
        this.clock = clock;
    }

    /** One worker's record: the torrents it names are seeded, from now for the TTL. */
    public void seen(SeederStatsEvent stats) {
        long now = clock.getAsLong();
        lastRecord = now;
        lastNamed.values().removeIf(named -> now - named > ttlNanos);
        for (SeederStatsEvent.TorrentStats torrent : stats.torrents()) {
            String key = torrent.infoHash();
            if (key == null || !SWARM_KEY.matcher(key).matches()) {
                continue;
            }
            if (lastNamed.size() >= MAX_TORRENTS && !lastNamed.containsKey(key)) {
                if (!full) {
                    full = true;
                    LOG.warnf("seeder-workers named more than %d torrents within %s; the rest are served by the web seed",
                            MAX_TORRENTS, Duration.ofNanos(ttlNanos));
                }
                continue;
            }
            lastNamed.put(key, now);
        }
        full = full && lastNamed.size() >= MAX_TORRENTS;
    }

    /** Whether a seeder-worker named the swarm within the TTL. */
    public boolean seeded(String swarmKey) {
        Long named = lastNamed.get(swarmKey);
        return named != null && clock.getAsLong() - named <= ttlNanos;
    }

    /** Whether any seeder-worker said anything within the TTL: a torrent published now will be seeded shortly. */
    public boolean workersAlive() {
        long last = lastRecord;
        return last != Long.MIN_VALUE && clock.getAsLong() - last <= ttlNanos;
    }

    /** How long a worker's word counts: what a client told to come back is told to wait. */
    public Duration ttl() {
        return Duration.ofNanos(ttlNanos);
    }
}
