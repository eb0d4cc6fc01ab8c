package io.shoal.metadata.messaging;

import io.quarkus.scheduler.Scheduled;
import io.shoal.events.TorrentPublishedEvent;
import io.shoal.metadata.service.CatalogService;
import io.smallrye.mutiny.TimeoutException;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

/**
 * Sends torrents to the compacted {@code shoal.torrents} topic and tombstones for retired ones. The catalog
 * records which sends Kafka acknowledged; what was not acknowledged (Kafka down, a crash in between, a topic
 * that lost it) is sent again every few seconds, so no recorded torrent stays unannounced: an outbox. A torrent is
 * the outbox's once its own send has had time to be acknowledged, so one upload is not sent twice at once.
 */
@ApplicationScoped
public class TorrentPublisher {

    private static final Logger LOG = Logger.getLogger(TorrentPublisher.class);
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(15);
    private static final int BATCH = 100;
    /** Beyond the acknowledgement timeout: the upload's own send has recorded its acknowledgement by then. */
    private static final Duration UNACKNOWLEDGED_GRACE = Duration.ofSeconds(5);

    private final MutinyEmitter<Record<String, TorrentPublishedEvent>> torrents;
    private final CatalogService catalog;

    TorrentPublisher(@Channel("torrents") MutinyEmitter<Record<String, TorrentPublishedEvent>> torrents, CatalogService catalog) {
        this.torrents = torrents;
        this.catalog = catalog;
    }

    /** @return whether Kafka acknowledged the event; if not, the outbox sends it again later */
    public boolean publish(UUID artifactId) {
        Optional<TorrentPublishedEvent> event = catalog.event(artifactId);
        if (event.isEmpty()) {
            return true; // retired since: its tombstone is on its way instead
        }
        TorrentPublishedEvent e = event.get();
        if (send(e.swarmKey(), e, "torrent " + e.swarmKey() + " ('" + e.name() + "')")) {
            catalog.markPublished(artifactId, true);
            return true;
        }
        return false;
    }

    public boolean tombstone(CatalogService.Retirement retirement) {
        if (send(retirement.swarmKey(), null, "tombstone of " + retirement.swarmKey())) {
            catalog.markTombstoned(retirement.artifactId());
            return true;
        }
        return false;
    }

    private boolean send(String key, TorrentPublishedEvent event, String what) {
        try {
            torrents.send(Record.of(key, event)).await().atMost(ACK_TIMEOUT);
            return true;
        } catch (TimeoutException e) {
            LOG.warnf("%s: Kafka did not acknowledge within %d s; sending again shortly", what, ACK_TIMEOUT.toSeconds());
        } catch (RuntimeException e) {
            LOG.warnf("%s: Kafka refused it (%s); sending again shortly", what, e.getMessage());
        }
        return false;
    }

    @Scheduled(every = "${shoal.metadata.outbox-interval:5s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sendUnacknowledged() {
        try {
            // Younger torrents are the upload's own send's (it waits up to ACK_TIMEOUT for Kafka): sent here as
            // well, a torrent reached the topic twice, 49 ms apart, in the lab.
            for (UUID artifact : catalog.unannounced(BATCH, Instant.now().minus(ACK_TIMEOUT.plus(UNACKNOWLEDGED_GRACE)))) {
                if (!publish(artifact)) {
                    return;
                }
            }
            for (CatalogService.Retirement retirement : catalog.untombstoned(BATCH)) {
                if (!tombstone(retirement)) {
                    return;
                }
            }
        } catch (RuntimeException e) {
            LOG.warnf("the outbox could not be read (%s); trying again shortly", e.getMessage());
        }
    }
}
