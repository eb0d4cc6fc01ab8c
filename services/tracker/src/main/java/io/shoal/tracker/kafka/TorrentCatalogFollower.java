package io.shoal.tracker.kafka;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.shoal.bittorrent.metainfo.InfoHash;
import io.shoal.events.EventJson;
import io.shoal.events.ShoalTopic;
import io.shoal.events.TorrentPublishedEvent;
import io.shoal.platform.KafkaClientProperties;
import io.shoal.platform.TopicFollower;
import io.shoal.tracker.TrackedTorrents;
import io.shoal.tracker.swarm.SwarmStore;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.jboss.logging.Logger;

/**
 * Follows the compacted shoal.torrents from the beginning: a published torrent is tracked, a tombstone
 * drops its swarms. Until it has read the whole topic the replica is not ready, so it never refuses a
 * torrent it simply has not read about yet.
 */
@ApplicationScoped
public class TorrentCatalogFollower {

    private static final Logger LOG = Logger.getLogger(TorrentCatalogFollower.class);

    private final TopicFollower follower;

    TorrentCatalogFollower(SwarmStore swarms, TrackedTorrents torrents,
                           KafkaClientProperties kafka) {
        EventJson.TorrentPublishedDeserializer deserializer = new EventJson.TorrentPublishedDeserializer();
        TopicFollower.Reader reader = record -> {
            if (record.key() == null) {
                LOG.warnf("skipping a record without a key at %s-%d@%d", record.topic(), record.partition(), record.offset());
                return;
            }
            try {
                TorrentPublishedEvent torrent = deserializer.deserialize(record.topic(), record.value());
                List<InfoHash> dropped = torrent == null ? torrents.retire(record.key()) : torrents.publish(record.key(), torrent);
                dropped.forEach(swarms::forget);
                if (torrent == null && !dropped.isEmpty()) {
                    LOG.infof("torrent %s retired; its swarms are gone", record.key());
                }
            } catch (SerializationException | IllegalArgumentException e) {
                LOG.warnf("skipping an unreadable torrent at %s-%d@%d: %s", record.topic(), record.partition(),
                        record.offset(), e.getMessage());
            }
        };
        this.follower = TopicFollower.allPartitions(kafka.properties(), ShoalTopic.TORRENTS.topicName(),
                "tracker-torrents-" + java.util.UUID.randomUUID(), reader);
    }

    TopicFollower follower() {
        return follower;
    }

    public boolean caughtUp() {
        return follower.caughtUp();
    }

    void onStart(@Observes @Priority(10) StartupEvent event) {
        follower.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        follower.stop();
    }
}
