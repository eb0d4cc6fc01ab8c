package io.shoal.tracker.dht;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.shoal.bittorrent.tracker.PeerAddress;
import io.shoal.platform.dht.DhtSettings;
import io.shoal.platform.dht.LocalDhtNode;
import io.shoal.tracker.TrackedTorrents;
import io.shoal.tracker.TrackerConfig;
import io.shoal.tracker.swarm.AddressFamily;
import io.shoal.tracker.swarm.Handout;
import io.shoal.tracker.swarm.Selection;
import io.shoal.tracker.swarm.SwarmStore;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jboss.logging.Logger;

/**
 * The tracker's DHT node (UDP 6970): a node like any other, except that its get_peers answers carry the peers of
 * the tracker's own swarms besides what was announced to it, so a host bootstrapping from the tracker finds peers
 * on its first query. Only published, non-private torrents (BEP 27) are answered from the swarms.
 */
@ApplicationScoped
public class TrackerDht {

    /** DESIGN.md: the tracker's DHT port. */
    public static final int DEFAULT_PORT = 6970;
    private static final Logger LOG = Logger.getLogger(TrackerDht.class);

    private final DhtSettings settings;
    private final TrackerConfig config;
    private final SwarmStore swarms;
    private final TrackedTorrents torrents;
    private final MeterRegistry registry;
    private LocalDhtNode node;

    TrackerDht(DhtSettings settings, TrackerConfig config, SwarmStore swarms, TrackedTorrents torrents, MeterRegistry registry) {
        this.settings = settings;
        this.config = config;
        this.swarms = swarms;
        this.torrents = torrents;
        this.registry = registry;
    }

    void onStart(@Observes @Priority(40) StartupEvent event) {
        if (!settings.enabled()) {
            return;
        }
        try {
            String host = settings.host().orElse(config.udp().host());
            node = LocalDhtNode.start(settings, host, settings.port().orElse(DEFAULT_PORT), reachedAt(), registry, "tracker");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind the tracker's DHT node to UDP " + settings.port().orElse(DEFAULT_PORT), e);
        }
        node.endpoint().call(n -> {
            n.peerSource((infoHash, max) -> torrents.sharedByDht(infoHash)
                    ? swarms.peers(infoHash, new Selection(max, AddressFamily.ANY)).peers().stream().map(Handout::toPeerAddress)
                            .map(p -> PeerAddress.of(p.address(), p.port())).toList()
                    : List.<PeerAddress>of());
            return CompletableFuture.completedFuture(null);
        });
    }

    /** Where hosts reach the tracker, its announce URL's host, if it resolves here (a BEP 42 id is derived from it). */
    private Optional<InetAddress> reachedAt() {
        try {
            return Optional.of(InetAddress.getByName(URI.create(config.announceUrl()).getHost()));
        } catch (UnknownHostException | IllegalArgumentException e) {
            LOG.warnf("the announce URL's host does not resolve here (%s): the DHT node's id is not derived from it", e.getMessage());
            return Optional.empty();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        if (node != null) {
            node.close();
        }
    }

    /** The node, when it runs (tests read its port and stats). */
    public Optional<LocalDhtNode> node() {
        return Optional.ofNullable(node);
    }
}
