package io.shoal.platform.dht;

import io.shoal.bittorrent.dht.AddressIds;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A service's DHT node ({@code SHOAL_DHT_*}): the seeder-worker's on its peer port, the tracker's on 6970. The
 * bootstrap list is also what metadata writes into new .torrent files ({@code nodes}) and what the gateway serves at
 * {@code GET /api/v1/dht/nodes}, so hosts and services start from the same nodes.
 */
@ConfigMapping(prefix = "shoal.dht")
public interface DhtSettings {

    @WithDefault("true")
    boolean enabled();

    /** UDP port; the worker's default is its peer port, the tracker's 6970; 0 picks a free one (tests). */
    Optional<Integer> port();

    /** Where the node binds; the service's listen address unless set. */
    Optional<String> host();

    /** host:port of nodes to join through, comma-separated: the tracker's node and the workers' (a node leaves itself out). */
    @WithDefault("127.0.0.1:6970,127.0.0.1:6881")
    List<String> bootstrap();

    /**
     * The bootstrap nodes as hosts and .torrent files get them: none when the DHT is off (SHOAL_DHT_ENABLED=false),
     * so no service points hosts at nodes that do not run.
     */
    default List<NodeAddress> bootstrapNodes() {
        return enabled() ? NodeAddress.parseAll(bootstrap()) : List.of();
    }

    /** Where the node keeps its id and routing table across restarts (none: a new id at every start). */
    Optional<String> stateFile();

    /** KRPC queries answered per second per IP address (twice as many in a burst); the rest are dropped. */
    @WithDefault("50")
    int queriesPerSecond();

    /**
     * BEP 42: which nodes need an id derived from their address to enter the routing table: off, public (BEP 42 as
     * written: local networks exempt) or all (a data center, where every address is a private one; this node then
     * derives its own id from its public address too).
     */
    @WithDefault("public")
    AddressIds addressIds();

    /** A seeded torrent is announced to the DHT again this often (stored peers expire after 30 minutes). */
    @WithDefault("15m")
    Duration announceInterval();
}
