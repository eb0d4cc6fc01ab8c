package io.shoal.tracker.swarm;

import io.shoal.bittorrent.metainfo.InfoHash;
import io.shoal.bittorrent.tracker.ScrapeStats;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Swarms in this process's memory, one lock each. Replicas reach the same state by applying each
 * other's announces ({@link #apply}); nothing here is persisted.
 */
public final class InMemorySwarms implements SwarmStore {

    private final ConcurrentHashMap<InfoHash, Swarm> swarms = new ConcurrentHashMap<>();
    private final AtomicLong peers = new AtomicLong();
    private final Limits limits;
    private final AddressQuota quota;
    private final Topology topology;
    private final boolean dropEmptySwarms;

    /**
     * @param limits          peers across all swarms, in one, and at one address; a new peer beyond one is refused
     * @param dropEmptySwarms forget a swarm (and its download count) once its last peer expires: for an
     *                        open tracker, whose swarms anyone can create
     */
    public InMemorySwarms(Limits limits, Topology topology, boolean dropEmptySwarms) {
        this.limits = limits;
        this.quota = new AddressQuota(limits.perAddress(), limits.peers());
        this.topology = topology;
        this.dropEmptySwarms = dropEmptySwarms;
    }

    @Override
    public Announced announce(InfoHash infoHash, PeerUpdate update, Selection selection) {
        long rack = topology.rackOf(update.endpoint());
        Selection effective = topology.enabled() ? selection : new Selection(selection.count(), selection.family());
        while (true) {
            Announced announced = swarm(infoHash).announce(update, rack, effective);
            if (announced != null) {
                return announced;
            }
        }
    }

    @Override
    public Announced.Outcome apply(InfoHash infoHash, PeerUpdate update) {
        long rack = topology.rackOf(update.endpoint());
        while (true) {
            Announced.Outcome outcome = swarm(infoHash).apply(update, rack);
            if (outcome != null) {
                return outcome;
            }
        }
    }

    @Override
    public Announced peers(InfoHash infoHash, Selection selection) {
        Swarm swarm = swarms.get(infoHash);
        Announced peers = swarm == null ? null : swarm.sample(selection);
        return peers == null ? Announced.without(Announced.Outcome.IGNORED, 0, 0, 0) : peers;
    }

    @Override
    public ScrapeStats scrape(InfoHash infoHash) {
        Swarm swarm = swarms.get(infoHash);
        return swarm == null ? new ScrapeStats(0, 0, 0) : swarm.stats();
    }

    @Override
    public void forget(InfoHash infoHash) {
        Swarm swarm = swarms.remove(infoHash);
        if (swarm != null) {
            swarm.retire();
        }
    }

    @Override
    public int expire(long cutoffMillis) {
        int removed = 0;
        for (var entry : swarms.entrySet()) {
            removed += entry.getValue().expire(cutoffMillis);
            if (dropEmptySwarms && entry.getValue().retireIfEmpty()) {
                swarms.remove(entry.getKey(), entry.getValue());
            }
        }
        return removed;
    }

    @Override
    public int swarmCount() {
        return swarms.size();
    }

    @Override
    public long peerCount() {
        return peers.get();
    }

    private Swarm swarm(InfoHash infoHash) {
        Swarm swarm = swarms.get(infoHash);
        return swarm != null ? swarm : swarms.computeIfAbsent(infoHash, h -> new Swarm(peers, limits, quota, topology.enabled()));
    }
}
