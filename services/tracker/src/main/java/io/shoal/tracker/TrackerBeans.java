package io.shoal.tracker;

import io.shoal.tracker.swarm.Cidr;
import io.shoal.tracker.swarm.InMemorySwarms;
import io.shoal.tracker.swarm.Limits;
import io.shoal.tracker.swarm.SwarmStore;
import io.shoal.tracker.swarm.Topology;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.List;

/** The swarm store and the tracked-torrent registry, built from configuration. */
class TrackerBeans {

    @Produces
    @Singleton
    SwarmStore swarms(TrackerConfig config) {
        if (config.peerTtl().compareTo(config.interval()) <= 0) {
            throw new IllegalArgumentException("shoal.tracker.peer-ttl (" + config.peerTtl()
                    + ") must be longer than shoal.tracker.interval (" + config.interval() + "), or peers expire between announces");
        }
        TrackerConfig.Topology t = config.topology();
        List<Topology.Rack> racks = t.racks().entrySet().stream()
                .map(e -> new Topology.Rack(e.getKey(), e.getValue().stream().map(Cidr::parse).toList()))
                .toList();
        Limits limits = new Limits(config.maxPeers(), config.maxPeersPerSwarm(), config.maxPeersPerAddress());
        return new InMemorySwarms(limits, new Topology(t.enabled(), t.ipv4SubnetPrefix(), t.ipv6SubnetPrefix(), racks),
                config.open());
    }

    @Produces
    @Singleton
    TrackedTorrents trackedTorrents(TrackerConfig config) {
        return new TrackedTorrents(config.open());
    }
}
