package io.shoal.tracker.swarm;

import java.util.List;

/**
 * What an announce did to its swarm, the swarm's counts after it, and the peers chosen for the client.
 *
 * @param downloaded completed downloads this swarm has seen (BEP 3's {@code completed} events)
 */
public record Announced(Outcome outcome, int seeders, int leechers, long downloaded, List<Handout> peers) {

    public enum Outcome {
        ADDED, UPDATED, REMOVED,
        /** A stop for a peer not in the swarm, or a replica's news older than what the swarm knows. */
        IGNORED,
        /** The peer id is in the swarm at another address, and the announce lacks the key it registered with. */
        KEY_MISMATCH,
        /** The tracker holds as many peers as it is allowed to. */
        FULL
    }

    public Announced {
        peers = List.copyOf(peers);
    }
}
