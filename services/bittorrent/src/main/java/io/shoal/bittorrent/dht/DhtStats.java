package io.shoal.bittorrent.dht;

import java.util.List;
import java.util.Map;

/**
 * A DHT node's counters, for metrics. Counts since start.
 *
 * @param queriesIn      queries answered, by method
 * @param queriesOut     queries sent, by method
 * @param dropped        datagrams dropped unanswered: over the per-address rate, our own id, responses nobody asked for
 * @param malformed      datagrams that were not valid KRPC
 * @param badTokens      announce_peer refused for a token not made for the sender
 * @param rejectedIds    nodes kept out of the table and lookups for an id not derived from their address (BEP 42)
 * @param lookupHops     completed lookups by their hop count (index = hops, the last counts every longer one)
 */
public record DhtStats(int routingTableNodes, int buckets, int storedPeers, int storedInfoHashes,
                       Map<String, Long> queriesIn, Map<String, Long> queriesOut, long responsesIn, long timeouts,
                       long dropped, long malformed, long badTokens, long rejectedIds, long lookups, List<Long> lookupHops) {
}
