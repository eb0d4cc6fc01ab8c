package io.shoal.tracker.swarm;

import io.shoal.bittorrent.metainfo.PeerId;
import io.shoal.bittorrent.tracker.AnnounceEvent;
import io.shoal.bittorrent.tracker.ScrapeStats;
import io.shoal.tracker.swarm.Announced.Outcome;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One torrent's peers (BEP 3): seeders and leechers in separate lists, so a seeder is handed leechers before
 * seeders and a random sample costs O(wanted), not O(swarm). Every method holds the swarm's lock; an
 * announce touches one swarm only, so announces to different torrents never wait on each other.
 */
final class Swarm {

    private final Map<PeerId, Peer> peers = new HashMap<>();
    /**
     * The same peers by {@link Peer#endpointKey}: one process listens at an address and port, so a new peer id
     * there is that endpoint's client restarted (a new session, a new random id), and it replaces the old entry
     * instead of being handed out beside it until the old one expires.
     */
    private final Map<Long, Peer> byEndpoint = new HashMap<>();
    private final PeerList seeders = new PeerList();
    private final PeerList leechers = new PeerList();
    private final AtomicLong trackerPeers;
    private final long maxTrackerPeers;
    private long downloaded;
    /** Set once the swarm left the tracker's map: an announce that still reached it must find the new one. */
    private boolean retired;

    /** @param trackerPeers peers across all swarms, shared so one limit holds for the whole tracker */
    Swarm(AtomicLong trackerPeers, long maxTrackerPeers) {
        this.trackerPeers = trackerPeers;
        this.maxTrackerPeers = maxTrackerPeers;
    }

    /** Records the update and picks peers for its sender (none when it stopped or was refused); null once retired. */
    synchronized Announced announce(PeerUpdate update, long rack, Selection selection) {
        if (retired) {
            return null;
        }
        Outcome change = update(update, rack);
        List<Handout> chosen = switch (change) {
            case ADDED, UPDATED -> select(peers.get(update.peerId()), update.seeder(), rack, selection);
            case REMOVED, IGNORED, KEY_MISMATCH, FULL -> List.of();
        };
        return new Announced(change, seeders.size(), leechers.size(), downloaded, chosen);
    }

    /** An announce another replica received: recorded, nobody to answer; null once retired. */
    synchronized Outcome apply(PeerUpdate update, long rack) {
        return retired ? null : update(update, rack);
    }

    synchronized ScrapeStats stats() {
        return new ScrapeStats(seeders.size(), downloaded, leechers.size());
    }

    /** Drops peers last seen before the cutoff; returns how many. */
    synchronized int expire(long cutoffMillis) {
        int removed = 0;
        for (Iterator<Peer> it = peers.values().iterator(); it.hasNext(); ) {
            Peer peer = it.next();
            if (peer.lastSeenMillis < cutoffMillis) {
                it.remove();
                (peer.seeder ? seeders : leechers).remove(peer);
                byEndpoint.remove(peer.endpointKey, peer);
                removed++;
            }
        }
        trackerPeers.addAndGet(-removed);
        return removed;
    }

    /** Drops every peer and takes no more: the torrent was retired, or an open tracker's swarm emptied. */
    synchronized void retire() {
        expire(Long.MAX_VALUE);
        retired = true;
    }

    /** Retires the swarm if it has no peers; returns whether it did. */
    synchronized boolean retireIfEmpty() {
        if (peers.isEmpty()) {
            retired = true;
        }
        return retired;
    }

    private Outcome update(PeerUpdate update, long rack) {
        Peer peer = peers.get(update.peerId());
        if (peer != null && update.atMillis() < peer.lastSeenMillis) {
            return Outcome.IGNORED; // a replica's older news about a peer that announced since
        }
        if (update.event() == AnnounceEvent.STOPPED) {
            if (peer == null || !ownedBy(peer, update)) {
                return Outcome.IGNORED;
            }
            remove(peer);
            return Outcome.REMOVED;
        }
        Outcome change;
        if (peer == null) {
            if (trackerPeers.incrementAndGet() > maxTrackerPeers) {
                trackerPeers.decrementAndGet();
                return Outcome.FULL;
            }
            peer = new Peer(update.peerId());
            moveTo(peer, update.endpoint());
            peer.key = update.key();
            peer.seeder = update.seeder();
            peer.rack = rack;
            peers.put(peer.id, peer);
            (peer.seeder ? seeders : leechers).add(peer);
            change = Outcome.ADDED;
        } else {
            if (!Arrays.equals(peer.endpoint, update.endpoint())) {
                // BEP 3's key: the same peer from a new address proves itself with the key it first sent
                if (!ownedBy(peer, update)) {
                    return Outcome.KEY_MISMATCH;
                }
                moveTo(peer, update.endpoint());
                peer.rack = rack;
            }
            if (peer.key.isEmpty()) {
                peer.key = update.key();
            }
            if (peer.seeder != update.seeder()) {
                (peer.seeder ? seeders : leechers).remove(peer);
                peer.seeder = update.seeder();
                (peer.seeder ? seeders : leechers).add(peer);
            }
            change = Outcome.UPDATED;
        }
        peer.lastSeenMillis = update.atMillis();
        if (update.event() == AnnounceEvent.COMPLETED && !peer.completionCounted) {
            peer.completionCounted = true;
            downloaded++;
        }
        return change;
    }

    /** Gives the peer its endpoint; another peer id at that endpoint leaves the swarm (its client restarted). */
    private void moveTo(Peer peer, byte[] endpoint) {
        if (peer.endpoint != null) {
            byEndpoint.remove(peer.endpointKey, peer);
        }
        peer.endpoint(endpoint);
        Peer before = byEndpoint.put(peer.endpointKey, peer);
        if (before != null && before != peer && Arrays.equals(before.endpoint, endpoint)) {
            remove(before);
        }
    }

    private void remove(Peer peer) {
        peers.remove(peer.id);
        (peer.seeder ? seeders : leechers).remove(peer);
        byEndpoint.remove(peer.endpointKey, peer);
        trackerPeers.decrementAndGet();
    }

    /**
     * The same address, or the key the peer first announced with. A peer that registered no key has nothing
     * to prove: it may move (as a tracker keyed by address would take it for a new peer anyway).
     */
    private static boolean ownedBy(Peer peer, PeerUpdate update) {
        return peer.key.isEmpty() || peer.key.equals(update.key()) || Arrays.equals(peer.endpoint, update.endpoint());
    }

    /**
     * A random sample of the peers the asker may get: never itself (by id or by address), only the family its
     * answer can carry. A seeder gets leechers, and seeders only to fill up when there are fewer leechers than it
     * asked for: a client fetching a magnet link's metadata announces left=0 (aria2), and it must still find the
     * seeds. With the topology hint, {@link #selectByRack}.
     */
    private List<Handout> select(Peer asker, boolean askerSeeds, long askerRack, Selection selection) {
        int wanted = selection.count();
        if (wanted == 0) {
            return List.of();
        }
        if (selection.byRack()) {
            return selectByRack(asker, askerSeeds, askerRack, selection);
        }
        List<Handout> chosen = new ArrayList<>(Math.min(wanted, leechers.size() + seeders.size()));
        if (askerSeeds) {
            sample(asker, 0, leechers.size(), wanted, selection, chosen);
            if (chosen.size() < wanted) {
                sample(asker, leechers.size(), leechers.size() + seeders.size(), wanted - chosen.size(), selection, chosen);
            }
        } else {
            sample(asker, 0, leechers.size() + seeders.size(), wanted, selection, chosen);
        }
        return chosen;
    }

    /**
     * The asker's rack first (at random; an asking seeder gets its rack's leechers before its seeders), then at
     * most {@link Selection#otherRacks()} peers from elsewhere, seeds first for a leecher (the source, and hosts
     * done with spare upload) and leechers first for a seeder. A client connects to what it is handed (and to
     * whoever connects to it), so this, not the order, decides where its bytes come from; the few peers from
     * other racks keep every rack joined to the swarm. Scans the swarm: O(swarm) per announce.
     */
    private List<Handout> selectByRack(Peer asker, boolean askerSeeds, long askerRack, Selection selection) {
        List<Peer> nearLeechers = new ArrayList<>();
        List<Peer> nearSeeders = new ArrayList<>();
        List<Peer> farLeechers = new ArrayList<>();
        List<Peer> farSeeders = new ArrayList<>();
        for (int i = 0; i < leechers.size() + seeders.size(); i++) {
            Peer peer = pool(i);
            if (eligible(peer, asker, selection.family())) {
                boolean near = peer.rack == askerRack;
                (peer.seeder ? (near ? nearSeeders : farSeeders) : (near ? nearLeechers : farLeechers)).add(peer);
            }
        }
        List<Peer> near;
        if (askerSeeds) {
            Collections.shuffle(nearLeechers, ThreadLocalRandom.current());
            Collections.shuffle(nearSeeders, ThreadLocalRandom.current());
            near = nearLeechers;
            near.addAll(nearSeeders);
        } else {
            near = nearLeechers;
            near.addAll(nearSeeders);
            Collections.shuffle(near, ThreadLocalRandom.current());
        }
        List<Handout> chosen = new ArrayList<>();
        take(near, selection.count(), chosen);
        int far = Math.min(selection.count() - chosen.size(), selection.otherRacks());
        Collections.shuffle(farLeechers, ThreadLocalRandom.current());
        Collections.shuffle(farSeeders, ThreadLocalRandom.current());
        List<Peer> first = askerSeeds ? farLeechers : farSeeders;
        List<Peer> then = askerSeeds ? farSeeders : farLeechers;
        int before = chosen.size();
        take(first, far, chosen);
        take(then, far - (chosen.size() - before), chosen);
        return chosen;
    }

    private static void take(List<Peer> from, int count, List<Handout> into) {
        for (Peer peer : from.subList(0, Math.max(0, Math.min(count, from.size())))) {
            into.add(new Handout(peer.endpoint, peer.id));
        }
    }

    /** Adds up to {@code wanted} eligible peers of pool indexes [from, to) to {@code chosen}, at random. */
    private void sample(Peer asker, int from, int to, int wanted, Selection selection, List<Handout> chosen) {
        int poolSize = to - from;
        if (poolSize <= 0) {
            return;
        }
        if (poolSize <= wanted + 1) {
            List<Handout> all = new ArrayList<>();
            for (int i = from; i < to; i++) {
                Peer peer = pool(i);
                if (eligible(peer, asker, selection.family())) {
                    all.add(new Handout(peer.endpoint, peer.id));
                }
            }
            Collections.shuffle(all, ThreadLocalRandom.current());
            chosen.addAll(all.subList(0, Math.min(wanted, all.size())));
            return;
        }
        // A Fisher-Yates shuffle drawn lazily: distinct random indexes, one at a time, with only the swapped
        // positions remembered; it goes on past the asker and peers of the wrong family until enough are found.
        ThreadLocalRandom random = ThreadLocalRandom.current();
        HashMap<Integer, Integer> swapped = new HashMap<>();
        int remaining = wanted;
        for (int i = 0; i < poolSize && remaining > 0; i++) {
            int j = i + random.nextInt(poolSize - i);
            int index = swapped.getOrDefault(j, j);
            swapped.put(j, swapped.getOrDefault(i, i));
            Peer peer = pool(from + index);
            if (eligible(peer, asker, selection.family())) {
                chosen.add(new Handout(peer.endpoint, peer.id));
                remaining--;
            }
        }
    }

    /** Leechers first, then seeders, as one index space. */
    private Peer pool(int index) {
        return index < leechers.size() ? leechers.get(index) : seeders.get(index - leechers.size());
    }

    /** Reads only the peer object itself, not its arrays: this runs for every peer of a small swarm. */
    private static boolean eligible(Peer peer, Peer asker, AddressFamily family) {
        return peer != asker && family.accepts(peer.endpointKey) && peer.endpointKey != asker.endpointKey;
    }
}
