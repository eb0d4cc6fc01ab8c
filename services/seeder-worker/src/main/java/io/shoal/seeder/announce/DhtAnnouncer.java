package io.shoal.seeder.announce;

import io.shoal.bittorrent.dht.UdpDhtEndpoint;
import io.shoal.bittorrent.metainfo.InfoHash;
import io.shoal.bittorrent.tracker.PeerAddress;
import io.shoal.seeder.swarm.Swarm;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * Announces every seeded torrent to the DHT (BEP 5 announce_peer to the 8 nodes closest to each of its swarm keys),
 * again every interval while it is seeded, and keeps it in the worker's own node so a host that asks this node first
 * finds the worker on its first query. Private torrents (BEP 27) are never announced. A torrent no longer seeded
 * leaves the worker's node at once and the other nodes' stores when its last announce expires (BEP 5 has no
 * withdrawal).
 */
public final class DhtAnnouncer {

    private static final Logger LOG = Logger.getLogger(DhtAnnouncer.class);

    private final UdpDhtEndpoint node;
    private final ScheduledExecutorService scheduler;
    private final PeerAddress self;
    private final Duration interval;
    private final Map<Swarm, ScheduledFuture<?>> announcing = new ConcurrentHashMap<>();
    /** Announce lookups run at once. */
    static final int LOOKUPS = 8;
    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
    private int running;

    public DhtAnnouncer(UdpDhtEndpoint node, ScheduledExecutorService scheduler, PeerAddress self, Duration interval) {
        this.node = node;
        this.scheduler = scheduler;
        this.self = self;
        this.interval = interval;
    }

    public void start(Swarm swarm) {
        if (swarm.torrent().isPrivate()) {
            LOG.debugf("not announcing %s to the DHT: private (BEP 27)", swarm.torrent());
            return;
        }
        ScheduledFuture<?> next = scheduler.scheduleAtFixedRate(() -> announce(swarm), 0, interval.toMillis(), TimeUnit.MILLISECONDS);
        ScheduledFuture<?> old = announcing.put(swarm, next);
        if (old != null) {
            old.cancel(false);
        }
    }

    public void stop(Swarm swarm) {
        ScheduledFuture<?> next = announcing.remove(swarm);
        if (next == null) {
            return;
        }
        next.cancel(false);
        for (InfoHash hash : swarm.torrent().wireHashes()) {
            node.call(n -> {
                n.removeLocally(hash, self);
                return java.util.concurrent.CompletableFuture.completedFuture(null);
            });
        }
    }

    public int announced() {
        return announcing.size();
    }

    private void announce(Swarm swarm) {
        for (InfoHash hash : swarm.torrent().wireHashes()) {
            synchronized (waiting) {
                waiting.add(() -> announce(swarm, hash));
            }
        }
        next();
    }

    /**
     * Starts waiting announces while fewer than {@link #LOOKUPS} run: a worker that takes over hundreds of torrents
     * at once would otherwise start as many lookups together and run the node out of pending queries.
     */
    private void next() {
        while (true) {
            Runnable start;
            synchronized (waiting) {
                if (running >= LOOKUPS || waiting.isEmpty()) {
                    return;
                }
                running++;
                start = waiting.poll();
            }
            start.run();
        }
    }

    private void announce(Swarm swarm, InfoHash hash) {
        node.call(n -> {
            n.storeLocally(hash, self);
            return n.announce(hash, self.port());
        }).whenComplete((result, failure) -> {
            if (failure != null) {
                LOG.warnf("DHT announce of %s failed: %s", hash.hex(), failure.getMessage());
            } else {
                LOG.debugf("announced %s (%s) to %d DHT nodes (%d hops, %d queries)", swarm.torrent(), hash.hex(),
                        result.announced(), result.hops(), result.queries());
            }
            synchronized (waiting) {
                running--;
            }
            next();
        });
    }
}
