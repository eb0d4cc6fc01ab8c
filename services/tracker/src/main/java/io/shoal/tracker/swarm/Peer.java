package io.shoal.tracker.swarm;

import io.shoal.bittorrent.metainfo.PeerId;

/**
 * One peer in one swarm, as its last announce described it. Mutated only under its swarm's lock; the
 * arrays it holds are replaced, never changed, so a {@link Handout} may keep them.
 */
final class Peer {

    final PeerId id;
    /** BEP 23 / BEP 7 compact form: 4 or 16 address bytes, then the port (6 or 18 bytes). */
    byte[] endpoint;
    /** BEP 3's key, empty when the client sent none. */
    String key;
    boolean seeder;
    /** Whether this peer's {@code completed} event was already counted toward the swarm's downloads. */
    boolean completionCounted;
    long lastSeenMillis;
    long rack;
    /** Its index in the swarm's seeder or leecher list. */
    int slot;

    Peer(PeerId id) {
        this.id = id;
    }
}
