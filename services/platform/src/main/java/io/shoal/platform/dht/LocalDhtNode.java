package io.shoal.platform.dht;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.shoal.bittorrent.dht.DhtConfig;
import io.shoal.bittorrent.dht.DhtStats;
import io.shoal.bittorrent.dht.KrpcMessage.NodeInfo;
import io.shoal.bittorrent.dht.NodeId;
import io.shoal.bittorrent.dht.RoutingTableFile;
import io.shoal.bittorrent.dht.UdpDhtEndpoint;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.jboss.logging.Logger;

/**
 * A service's DHT node: the protocol library's node on a UDP port, joined through the configured bootstrap nodes, its
 * id and routing table saved (every 5 minutes and at close) and read back at the next start, and its counters as
 * metrics ({@code shoal.dht.*}, read from a snapshot the node's thread takes every 10 seconds).
 */
public final class LocalDhtNode implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LocalDhtNode.class);
    private static final List<String> METHODS = List.of("ping", "find_node", "get_peers", "announce_peer");

    private final UdpDhtEndpoint endpoint;
    private final Optional<Path> stateFile;
    private final ScheduledExecutorService timer;
    private volatile DhtStats stats;

    private LocalDhtNode(UdpDhtEndpoint endpoint, Optional<Path> stateFile) {
        this.endpoint = endpoint;
        this.stateFile = stateFile;
        this.stats = endpoint.inspect(n -> n.stats());
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dht-stats");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Binds {@code host:port} (UDP), joins through {@code settings.bootstrap()} (itself left out), registers metrics.
     *
     * @param publicAddress where other nodes see this one (when known): its id is derived from it (BEP 42) when the
     *                      settings ask every node for such an id, or when the address is public
     */
    public static LocalDhtNode start(DhtSettings settings, String host, int port, Optional<InetAddress> publicAddress,
                                     MeterRegistry registry, String service) throws IOException {
        Optional<Path> stateFile = settings.stateFile().map(Path::of);
        Optional<RoutingTableFile.Saved> saved = Optional.empty();
        if (stateFile.isPresent()) {
            saved = RoutingTableFile.load(stateFile.get());
            if (saved.isEmpty()) {
                LOG.infof("DHT state %s: none readable, starting with a new id", stateFile.get());
            }
        }
        Optional<InetAddress> deriveFrom = publicAddress.filter(settings.addressIds()::requiresDerivedId);
        NodeId id = saved.map(RoutingTableFile.Saved::id)
                .filter(previous -> deriveFrom.isEmpty() || previous.isDerivedFrom(deriveFrom.get()))
                .orElseGet(() -> deriveFrom.map(a -> NodeId.derivedFrom(a, new SecureRandom())).orElseGet(NodeId::random));
        List<NodeInfo> known = saved.map(RoutingTableFile.Saved::nodes).orElse(List.of());
        UdpDhtEndpoint endpoint = UdpDhtEndpoint.open(new InetSocketAddress(host, port), id,
                DhtConfig.DEFAULT.withQueriesPerSecond(settings.queriesPerSecond()).withAddressIds(settings.addressIds()));
        LocalDhtNode node = new LocalDhtNode(endpoint, stateFile);
        List<InetSocketAddress> bootstrap = new ArrayList<>();
        for (NodeAddress address : settings.bootstrapNodes()) {
            InetSocketAddress resolved = address.resolve();
            if (resolved.isUnresolved()) {
                LOG.warnf("DHT bootstrap node %s does not resolve; joining without it", address);
            } else if (!isSelf(resolved, endpoint.localAddress())) {
                bootstrap.add(resolved);
            }
        }
        endpoint.start(bootstrap, known).whenComplete((joined, failure) -> {
            if (failure != null) {
                LOG.warnf("DHT join failed: %s", failure.getMessage());
            } else {
                LOG.infof("%s DHT node %s joined on UDP %d: %d nodes answered its own lookup (%d queries) through %s",
                        service, id, endpoint.localAddress().getPort(), joined.closest().size(), joined.queries(), bootstrap);
            }
        });
        node.registerMetrics(registry);
        node.timer.scheduleAtFixedRate(node::refreshStats, 10, 10, TimeUnit.SECONDS);
        if (stateFile.isPresent()) {
            node.timer.scheduleAtFixedRate(node::save, 5, 5, TimeUnit.MINUTES);
        }
        LOG.infof("%s DHT node %s on UDP %s (%d saved nodes, bootstrap %s)", service, id, endpoint.localAddress(),
                known.size(), bootstrap);
        return node;
    }

    private static boolean isSelf(InetSocketAddress node, InetSocketAddress local) {
        return node.getPort() == local.getPort() && (node.getAddress().isLoopbackAddress() || node.getAddress().isAnyLocalAddress()
                || node.getAddress().equals(local.getAddress()));
    }

    public UdpDhtEndpoint endpoint() {
        return endpoint;
    }

    public DhtStats stats() {
        return stats;
    }

    private void refreshStats() {
        try {
            stats = endpoint.inspect(n -> n.stats());
        } catch (RuntimeException e) {
            LOG.debugf("DHT stats not read: %s", e.getMessage());
        }
    }

    private void save() {
        stateFile.ifPresent(file -> {
            try {
                List<NodeInfo> nodes = endpoint.inspect(n -> n.routingTable());
                RoutingTableFile.save(file, endpoint.id(), nodes);
            } catch (IOException | RuntimeException e) {
                LOG.warnf("DHT state not saved to %s: %s", file, e.getMessage());
            }
        });
    }

    private void registerMetrics(MeterRegistry registry) {
        gauge(registry, "shoal.dht.routing.table.nodes", "nodes in the DHT routing table", s -> s.routingTableNodes());
        gauge(registry, "shoal.dht.stored.peers", "peers announced to this node and kept", s -> s.storedPeers());
        gauge(registry, "shoal.dht.stored.infohashes", "info-hashes this node keeps peers for", s -> s.storedInfoHashes());
        for (String method : METHODS) {
            FunctionCounter.builder("shoal.dht.queries.in", this, n -> n.stats.queriesIn().getOrDefault(method, 0L))
                    .tag("method", method).description("KRPC queries answered").register(registry);
            FunctionCounter.builder("shoal.dht.queries.out", this, n -> n.stats.queriesOut().getOrDefault(method, 0L))
                    .tag("method", method).description("KRPC queries sent").register(registry);
        }
        counter(registry, "shoal.dht.timeouts", "queries sent and never answered", s -> s.timeouts());
        counter(registry, "shoal.dht.dropped", "datagrams dropped unanswered (over the per-address rate, forged answers)", s -> s.dropped());
        counter(registry, "shoal.dht.malformed", "datagrams that were not KRPC", s -> s.malformed());
        counter(registry, "shoal.dht.bad.tokens", "announce_peer refused for a wrong token", s -> s.badTokens());
        counter(registry, "shoal.dht.rejected.ids", "nodes kept out of the table for an id not derived from their address (BEP 42)",
                s -> s.rejectedIds());
        for (int hops = 0; hops < 16; hops++) {
            int h = hops;
            FunctionCounter.builder("shoal.dht.lookups", this, n -> n.stats.lookupHops().get(h))
                    .tag("hops", h == 15 ? "15+" : Integer.toString(h)).description("lookups finished, by hops to the closest node")
                    .register(registry);
        }
    }

    private void gauge(MeterRegistry registry, String name, String description, ToDoubleFunction<DhtStats> value) {
        Gauge.builder(name, this, n -> value.applyAsDouble(n.stats)).description(description).register(registry);
    }

    private void counter(MeterRegistry registry, String name, String description, ToDoubleFunction<DhtStats> value) {
        FunctionCounter.builder(name, this, n -> value.applyAsDouble(n.stats)).description(description).register(registry);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        save();
        endpoint.close();
    }
}
