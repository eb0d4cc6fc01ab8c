package io.shoal.tracker.swarm;

import io.shoal.bittorrent.metainfo.PeerId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What an announce did to its swarm, the swarm's counts after it, and the peers chosen for the client, already
 * in compact form (BEP 23 for IPv4, BEP 7 for IPv6) with their ids alongside, 20 bytes each, in the same order.
 *
 * @param downloaded completed downloads this swarm has seen (BEP 3's {@code completed} events)
 */
public record Announced(Outcome outcome, int seeders, int leechers, long downloaded, byte[] ipv4, byte[] ipv4Ids,
                        byte[] ipv6, byte[] ipv6Ids) {

    public enum Outcome {
        ADDED, UPDATED, REMOVED,
        /** A stop for a peer not in the swarm, or a replica's news older than what the swarm knows. */
        IGNORED,
        /** The tracker holds as many peers as it is allowed to. */
        FULL,
        /** The swarm holds as many peers as one swarm may. */
        SWARM_FULL,
        /** The announcing address already has as many peers as one address may. */
        ADDRESS_FULL
    }

    private static final byte[] NONE = new byte[0];

    static Announced without(Outcome outcome, int seeders, int leechers, long downloaded) {
        return new Announced(outcome, seeders, leechers, downloaded, NONE, NONE, NONE, NONE);
    }

    /** The chosen peers one by one, IPv4 first (for the dictionary answer and for tests). */
    public List<Handout> peers() {
        List<Handout> peers = new ArrayList<>(ipv4.length / 6 + ipv6.length / 18);
        add(peers, ipv4, ipv4Ids, 6);
        add(peers, ipv6, ipv6Ids, 18);
        return peers;
    }

    private static void add(List<Handout> into, byte[] endpoints, byte[] ids, int entry) {
        for (int i = 0; i < endpoints.length / entry; i++) {
            into.add(new Handout(Arrays.copyOfRange(endpoints, i * entry, i * entry + entry),
                    PeerId.of(Arrays.copyOfRange(ids, i * PeerId.LENGTH, i * PeerId.LENGTH + PeerId.LENGTH))));
        }
    }
}
