package io.shoal.tracker;

import io.quarkus.scheduler.Scheduled;
import io.shoal.tracker.swarm.SwarmStore;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/** Peers that stop announcing leave their swarms once {@code shoal.tracker.peer-ttl} has passed. */
@ApplicationScoped
class PeerExpiry {

    private static final Logger LOG = Logger.getLogger(PeerExpiry.class);

    private final SwarmStore swarms;
    private final TrackerConfig config;
    private final TrackerMetrics metrics;

    PeerExpiry(SwarmStore swarms, TrackerConfig config, TrackerMetrics metrics) {
        this.swarms = swarms;
        this.config = config;
        this.metrics = metrics;
    }

    @Scheduled(every = "${shoal.tracker.expiry-sweep:15s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        int removed = swarms.expire(System.currentTimeMillis() - config.peerTtl().toMillis());
        if (removed > 0) {
            metrics.peersExpired(removed);
            LOG.debugf("%d peers expired; %d left in %d swarms", removed, swarms.peerCount(), swarms.swarmCount());
        }
    }
}
