package io.shoal.tracker.kafka;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.shoal.events.ShoalTopic;
import io.shoal.platform.KafkaClientProperties;
import io.shoal.platform.TopicFollower;
import io.shoal.tracker.TrackedTorrents;
import io.shoal.tracker.TrackerConfig;
import io.shoal.tracker.TrackerMetrics;
import io.shoal.tracker.swarm.SwarmStore;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.Collection;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

/**
 * Applies the other replicas' announces. A starting replica reads back one peer lifetime of the log, so
 * it knows every live peer before it says it is ready; it starts once the torrent catalog is read, since
 * only announces for tracked torrents are applied.
 */
@ApplicationScoped
public class AnnounceFollower {

    private static final Logger LOG = Logger.getLogger(AnnounceFollower.class);

    private final TopicFollower follower;
    private final boolean enabled;

    AnnounceFollower(SwarmStore swarms, TrackedTorrents torrents, TrackerConfig config, TrackerMetrics metrics,
                     AnnouncePublisher publisher, TorrentCatalogFollower catalog,
                     KafkaClientProperties kafka) {
        this.enabled = config.replication().enabled();
        long ttlMillis = config.peerTtl().toMillis();
        String own = publisher.replica().toString();
        TopicFollower.Reader reader = new TopicFollower.Reader() {

            @Override
            public void seekStart(Consumer<String, byte[]> consumer, Collection<TopicPartition> partitions) {
                TopicFollower.seekToTime(consumer, partitions, System.currentTimeMillis() - ttlMillis);
            }

            @Override
            public void handle(ConsumerRecord<String, byte[]> record) {
                if (own.equals(record.key())) {
                    return;
                }
                List<ReplicatedAnnounce> batch;
                try {
                    batch = ReplicatedAnnounce.decodeBatch(record.value());
                } catch (IllegalArgumentException e) {
                    LOG.warnf("skipping a malformed record at %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), e.getMessage());
                    return;
                }
                long oldest = System.currentTimeMillis() - ttlMillis;
                int applied = 0;
                for (ReplicatedAnnounce announce : batch) {
                    if (announce.update().atMillis() >= oldest && torrents.tracks(announce.infoHash())) {
                        swarms.apply(announce.infoHash(), announce.update());
                        applied++;
                    }
                }
                metrics.replicationApplied(applied);
            }
        };
        this.follower = TopicFollower.allPartitions(kafka.properties(), ShoalTopic.TRACKER_ANNOUNCES.topicName(),
                        "tracker-announces-" + publisher.replica(), reader)
                .after(catalog.follower())
                // Under load a fetch waits for 64 KiB (or 50 ms): fewer, larger fetches (a replica's batches are read
                // back by itself too, so this is part of what replication costs every announce).
                .with(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "50")
                .with(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, Integer.toString(64 * 1024))
                .with(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
    }

    /** Whether the other replicas' recent announces are applied (always, with replication off: there are none). */
    public boolean caughtUp() {
        return !enabled || follower.caughtUp();
    }

    void onStart(@Observes @Priority(20) StartupEvent event) {
        if (enabled) {
            follower.start();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        if (enabled) {
            follower.stop();
        }
    }
}
