package io.shoal.bittorrent.dht;

import io.shoal.bittorrent.metainfo.InfoHash;
import io.shoal.bittorrent.tracker.PeerAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The peers announced to this node (announce_peer), by info-hash, each until {@code ttlMillis} after its last
 * announce. Bounded three ways so that announces cannot exhaust the node: peers per info-hash (the oldest
 * announce gives way), info-hashes, and peers in total (new ones are refused when full). Not thread-safe.
 */
public final class PeerStore {

    public record Limits(int peersPerInfoHash, int infoHashes, int peers, long ttlMillis) {
        public static final Limits DEFAULT = new Limits(256, 10_000, 100_000, 30 * 60_000L);
    }

    public enum Stored { ADDED, REFRESHED, REFUSED_FULL }

    private final Limits limits;
    private final Map<InfoHash, LinkedHashMap<PeerAddress, Long>> swarms = new HashMap<>();
    private int size;

    public PeerStore(Limits limits) {
        this.limits = limits;
    }

    public Stored store(InfoHash infoHash, PeerAddress peer, long nowMillis) {
        LinkedHashMap<PeerAddress, Long> swarm = swarms.get(infoHash);
        if (swarm == null) {
            if (swarms.size() >= limits.infoHashes() || size >= limits.peers()) {
                return Stored.REFUSED_FULL;
            }
            swarm = new LinkedHashMap<>();
            swarms.put(infoHash, swarm);
        }
        if (swarm.remove(peer) != null) {
            swarm.put(peer, nowMillis + limits.ttlMillis());
            return Stored.REFRESHED;
        }
        if (swarm.size() >= limits.peersPerInfoHash()) {
            Iterator<PeerAddress> oldest = swarm.keySet().iterator();
            oldest.next();
            oldest.remove();
            size--;
        } else if (size >= limits.peers()) {
            return Stored.REFUSED_FULL;
        }
        swarm.put(peer, nowMillis + limits.ttlMillis());
        size++;
        return Stored.ADDED;
    }

    /** Forgets {@code peer} for {@code infoHash} (a local torrent no longer seeded). */
    public void remove(InfoHash infoHash, PeerAddress peer) {
        LinkedHashMap<PeerAddress, Long> swarm = swarms.get(infoHash);
        if (swarm != null && swarm.remove(peer) != null) {
            size--;
            if (swarm.isEmpty()) {
                swarms.remove(infoHash);
            }
        }
    }

    /** Up to {@code max} of the peers stored for {@code infoHash}, a random choice when there are more. */
    public List<PeerAddress> peers(InfoHash infoHash, int max, Random random) {
        LinkedHashMap<PeerAddress, Long> swarm = swarms.get(infoHash);
        if (swarm == null) {
            return List.of();
        }
        List<PeerAddress> all = new ArrayList<>(swarm.keySet());
        if (all.size() <= max) {
            return all;
        }
        for (int i = 0; i < max; i++) {
            java.util.Collections.swap(all, i, i + random.nextInt(all.size() - i));
        }
        return List.copyOf(all.subList(0, max));
    }

    public void expire(long nowMillis) {
        Iterator<LinkedHashMap<PeerAddress, Long>> it = swarms.values().iterator();
        while (it.hasNext()) {
            LinkedHashMap<PeerAddress, Long> swarm = it.next();
            // Insertion order is announce order, and every entry lives as long: the expired ones come first.
            Iterator<Long> expiries = swarm.values().iterator();
            while (expiries.hasNext() && expiries.next() <= nowMillis) {
                expiries.remove();
                size--;
            }
            if (swarm.isEmpty()) {
                it.remove();
            }
        }
    }

    public int size() {
        return size;
    }

    public int infoHashes() {
        return swarms.size();
    }
}
