package io.shoal.seeder.catalog;

import io.shoal.events.EventJson;
import io.shoal.events.ShoalTopic;
import io.shoal.events.TorrentPublishedEvent;
import io.shoal.platform.TopicFollower;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.jboss.logging.Logger;

/**
 * This worker's share of {@code shoal.torrents}: a {@link TopicFollower} in the workers' group. A partition
 * assigned is read from the beginning (the topic is compacted: that is every live torrent of it); a partition
 * taken away, by a rebalance or because this worker lost the group, stops its torrents, and so does the
 * follower stopping. Nothing is committed: a partition's owner always rebuilds its set from the log.
 */
public final class TorrentAssignments implements TopicFollower.Reader {

    private static final Logger LOG = Logger.getLogger(TorrentAssignments.class);

    /** What the worker does with its share. */
    public interface Target {
        void seed(String key, TorrentPublishedEvent torrent);

        void retire(String key, String why);
    }

    private final Target target;
    private final TopicFollower follower;
    private final EventJson.TorrentPublishedDeserializer deserializer = new EventJson.TorrentPublishedDeserializer();
    /** The torrents read, by partition; only the follower's thread touches it. */
    private final Map<TopicPartition, Set<String>> keys = new HashMap<>();

    public TorrentAssignments(Properties kafka, String group, String clientId, Duration sessionTimeout, Target target) {
        this.target = target;
        this.follower = TopicFollower.inGroup(kafka, ShoalTopic.TORRENTS.topicName(), group, clientId, sessionTimeout, this);
    }

    public void start() {
        follower.start();
    }

    /** Stops following the topic; every torrent is retired before this returns. */
    public void stop() {
        follower.stop();
    }

    /**
     * Partitions of shoal.torrents this worker owns now; 0 when it has none or stopped following the topic
     * (an operator's alert: a worker that seeds nothing).
     */
    public int partitions() {
        return follower.partitions();
    }

    /** Whether the group has given this worker its share and the worker has read it to where it stood. */
    public boolean caughtUp() {
        return follower.caughtUp();
    }

    @Override
    public void handle(ConsumerRecord<String, byte[]> record) {
        if (record.key() == null) {
            LOG.warnf("skipping a record without a key at %s-%d@%d", record.topic(), record.partition(), record.offset());
            return;
        }
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        try {
            TorrentPublishedEvent torrent = deserializer.deserialize(record.topic(), record.value());
            if (torrent == null) {
                if (keys.getOrDefault(partition, Set.of()).remove(record.key())) {
                    target.retire(record.key(), "retired (tombstone)");
                }
            } else {
                keys.computeIfAbsent(partition, p -> new HashSet<>()).add(record.key());
                target.seed(record.key(), torrent);
            }
        } catch (SerializationException | IllegalArgumentException e) {
            LOG.warnf("skipping an unreadable torrent at %s-%d@%d: %s", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
        }
    }

    @Override
    public void assigned(Collection<TopicPartition> partitions) {
        LOG.infof("seeding the torrents of partitions %s", partitions.stream().map(TopicPartition::partition).sorted().toList());
    }

    @Override
    public void released(Collection<TopicPartition> partitions, String why) {
        for (TopicPartition partition : partitions) {
            Set<String> gone = keys.remove(partition);
            if (gone != null) {
                gone.forEach(key -> target.retire(key, why));
            }
        }
    }
}
