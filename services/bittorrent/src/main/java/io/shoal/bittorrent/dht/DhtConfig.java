package io.shoal.bittorrent.dht;

/**
 * A DHT node's settings.
 *
 * @param alpha              parallel queries of one lookup (Kademlia's alpha)
 * @param queryTimeoutMillis a query unanswered this long failed
 * @param slowQueryMillis    a lookup's query unanswered this long stops counting against alpha: one more goes out
 *                           (a dead node costs a lookup this, not the whole timeout)
 * @param maxLookupQueries   a lookup stops after sending this many queries, found or not
 * @param queriesPerSecond   queries accepted per second from one IP address (twice as many in a burst); the
 *                           rest are dropped unanswered, so a flood gets no traffic back
 * @param maxValues          peers in one get_peers answer (BEP 5 has no limit; this keeps an answer under
 *                           ~700 bytes, so a 90-byte query cannot draw more than ~8 times its size)
 * @param peers              limits of the announced peers this node stores
 * @param tokenRotationMillis the write-token secret changes this often; a token is good for one or two periods
 * @param refreshMillis      a bucket nothing joined or left for this long is refreshed with a lookup
 * @param addressIds         which nodes need an id derived from their address (BEP 42) to be recommended
 */
public record DhtConfig(int alpha, long queryTimeoutMillis, long slowQueryMillis, int maxLookupQueries, int queriesPerSecond, int maxValues,
                        PeerStore.Limits peers, long tokenRotationMillis, long refreshMillis, AddressIds addressIds) {

    public static final DhtConfig DEFAULT = new DhtConfig(3, 2_000, 500, 200, 50, 50, PeerStore.Limits.DEFAULT,
            5 * 60_000L, 15 * 60_000L, AddressIds.PUBLIC);

    public DhtConfig {
        if (alpha < 1 || queryTimeoutMillis < 1 || slowQueryMillis < 1 || maxLookupQueries < 1 || queriesPerSecond < 1 || maxValues < 1
                || tokenRotationMillis < 1 || refreshMillis < 1) {
            throw new IllegalArgumentException("every DHT setting must be positive: " + this);
        }
    }

    public DhtConfig withQueriesPerSecond(int perSecond) {
        return new DhtConfig(alpha, queryTimeoutMillis, slowQueryMillis, maxLookupQueries, perSecond, maxValues, peers,
                tokenRotationMillis, refreshMillis, addressIds);
    }

    public DhtConfig withAddressIds(AddressIds rule) {
        return new DhtConfig(alpha, queryTimeoutMillis, slowQueryMillis, maxLookupQueries, queriesPerSecond, maxValues, peers,
                tokenRotationMillis, refreshMillis, rule);
    }
}
