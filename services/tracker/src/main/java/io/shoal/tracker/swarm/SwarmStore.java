package io.shoal.tracker.swarm;

import io.shoal.bittorrent.metainfo.InfoHash;
import io.shoal.bittorrent.tracker.ScrapeStats;

/**
 * The tracker's swarms: every peer of every tracked torrent. The HTTP and UDP servers and the replica
 * follower are thin adapters over this.
 */
public interface SwarmStore {

    /** Records a client's announce and chooses peers for it. */
    Announced announce(InfoHash infoHash, PeerUpdate update, Selection selection);

    /** Records an announce another replica received. */
    Announced.Outcome apply(InfoHash infoHash, PeerUpdate update);

    /**
     * Peers of a swarm for someone who is not in it (a DHT get_peers): up to {@code selection.count()}, a random choice;
     * nothing is recorded. Outcome IGNORED and no peers for a swarm nobody announced.
     */
    Announced peers(InfoHash infoHash, Selection selection);

    /** BEP 48 counts; zeros for a torrent nobody announced. */
    ScrapeStats scrape(InfoHash infoHash);

    /** Drops the swarm of a retired torrent. */
    void forget(InfoHash infoHash);

    /** Drops peers last seen before the cutoff; returns how many. */
    int expire(long cutoffMillis);

    int swarmCount();

    long peerCount();
}
