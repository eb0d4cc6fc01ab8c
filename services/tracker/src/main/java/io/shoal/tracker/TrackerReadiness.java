package io.shoal.tracker;

import io.shoal.tracker.kafka.AnnounceFollower;
import io.shoal.tracker.kafka.TorrentCatalogFollower;
import io.shoal.tracker.swarm.SwarmStore;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready once the torrent catalog and the recent announces of the other replicas are read. Kafka going
 * away afterwards does not make the tracker unready: it keeps answering from memory (the replicas then
 * drift apart until Kafka is back), which beats every client losing its tracker.
 */
@Readiness
@ApplicationScoped
class TrackerReadiness implements HealthCheck {

    private final TorrentCatalogFollower catalog;
    private final AnnounceFollower announces;
    private final SwarmStore swarms;
    private final TrackedTorrents torrents;

    TrackerReadiness(TorrentCatalogFollower catalog, AnnounceFollower announces, SwarmStore swarms, TrackedTorrents torrents) {
        this.catalog = catalog;
        this.announces = announces;
        this.swarms = swarms;
        this.torrents = torrents;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("tracker swarms")
                .status(catalog.caughtUp() && announces.caughtUp())
                .withData("torrentCatalogRead", catalog.caughtUp())
                .withData("recentAnnouncesRead", announces.caughtUp())
                .withData("torrents", torrents.size())
                .withData("swarms", swarms.swarmCount())
                .withData("peers", swarms.peerCount())
                .build();
    }
}
