package io.shoal.bittorrent.dht;

import io.shoal.bittorrent.dht.KrpcMessage.NodeInfo;
import io.shoal.bittorrent.tracker.PeerAddress;
import java.util.List;

/**
 * What an iterative lookup found.
 *
 * @param closest    the nodes closest to the target that answered, nearest first (at most k)
 * @param peers      peers the nodes returned for a get_peers lookup
 * @param hops       steps from our own table to the closest node that answered: 1 when our table held it, 2 when
 *                   a node our table held named it, and so on (0 when nobody answered)
 * @param queries    queries sent (the lookup's messages; each answer is one more)
 * @param timeouts   queries left unanswered
 * @param announced  nodes that accepted our announce_peer (announce only)
 */
public record LookupResult(NodeId target, List<NodeInfo> closest, List<PeerAddress> peers, int hops, int queries,
                           int timeouts, int announced, long millis) {

    public LookupResult {
        closest = List.copyOf(closest);
        peers = List.copyOf(peers);
    }

    LookupResult withAnnounced(int count) {
        return new LookupResult(target, closest, peers, hops, queries, timeouts, count, millis);
    }
}
