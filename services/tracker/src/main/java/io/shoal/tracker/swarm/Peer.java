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
    /**
     * The endpoint as one number, compared without touching the array: an IPv4 endpoint exactly (48 bits),
     * an IPv6 one by a hash with the top bit set (equal endpoints, equal keys; a rare collision only keeps
     * a peer out of one answer).
     */
    long endpointKey;
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

    void endpoint(byte[] compact) {
        endpoint = compact;
        endpointKey = keyOf(compact);
    }

    static long keyOf(byte[] compact) {
        if (compact.length == 6) {
            long key = 0;
            for (byte b : compact) {
                key = (key << 8) | (b & 0xff);
            }
            return key;
        }
        return Long.MIN_VALUE | (java.util.Arrays.hashCode(compact) & 0xffffffffL);
    }
}
