package io.shoal.seeder.catalog;

import io.shoal.events.EventJson;
import io.shoal.events.ShoalTopic;
import io.shoal.events.TorrentPublishedEvent;
import io.shoal.platform.StalledPartitions;
import io.shoal.platform.TopicIdentity;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * This worker's share of {@code shoal.torrents}: one consumer in the workers' group, on a thread of its own.
 * A partition assigned is read from the beginning (the topic is compacted: that is every live torrent of
 * it); a partition taken away, by a rebalance or because this worker lost the group, stops its torrents.
 * Nothing is committed: a partition's owner always rebuilds its set from the log.
 */
public final class TorrentAssignments {

    private static final Logger LOG = Logger.getLogger(TorrentAssignments.class);
    /** How often the worker asks whether shoal.torrents is still the topic it reads. */
    private static final Duration RECHECK = Duration.ofSeconds(10);
    /** How long a partition with unread records may go without its position moving. */
    private static final Duration STALL_CHECK = Duration.ofSeconds(30);

    /** What the worker does with its share. */
    public interface Target {
        void seed(String key, TorrentPublishedEvent torrent);

        void retire(String key, String why);
    }

    private final Set<TopicPartition> owned = ConcurrentHashMap.newKeySet();
    private final Properties properties = new Properties();
    private final Target target;
    private final Map<TopicPartition, Set<String>> keys = new HashMap<>();
    private volatile Map<TopicPartition, Long> catchUp = Map.of();
    private volatile boolean joined;
    private volatile boolean running = true;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    public TorrentAssignments(Properties kafka, String group, String clientId, Duration sessionTimeout, Target target) {
        this.target = target;
        properties.putAll(kafka);
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, Long.toString(sessionTimeout.toMillis()));
        properties.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Long.toString(Math.max(1000, sessionTimeout.toMillis() / 4)));
        properties.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        properties.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
        properties.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "5000");
        // Notice within seconds that the topic's partitions went away or came back (a deleted, recreated topic).
        properties.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "10000");
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    }

    public void start() {
        thread = new Thread(this::run, "torrent-assignments");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Partitions of shoal.torrents this worker owns now; 0 when it has none or stopped following the topic
     * (an operator's alert: a worker that seeds nothing).
     */
    public int partitions() {
        return owned.size();
    }

    /** Whether the group has given this worker its share and the worker has read it to where it stood. */
    public boolean caughtUp() {
        return joined && catchUp.isEmpty();
    }

    public void stop() {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        EventJson.TorrentPublishedDeserializer deserializer = new EventJson.TorrentPublishedDeserializer();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(properties);
             TopicIdentity identity = new TopicIdentity(properties, ShoalTopic.TORRENTS.topicName(), RECHECK)) {
            consumer = c;
            c.subscribe(List.of(ShoalTopic.TORRENTS.topicName()), new Rebalance(c));
            identity.changed(); // the topic read from here on
            StalledPartitions stalled = new StalledPartitions(STALL_CHECK);
            while (running) {
                if (identity.changed()) {
                    // Recreated while this worker kept its partitions: positions in the old topic mean nothing here.
                    LOG.warnf("shoal.torrents was deleted and created again; reading this worker's share again from its start");
                    readFromStart(c, c.assignment());
                }
                for (ConsumerRecord<String, byte[]> record : c.poll(Duration.ofMillis(500))) {
                    handle(record, deserializer);
                }
                stalled.check(c);
                if (!catchUp.isEmpty()) {
                    Map<TopicPartition, Long> left = new HashMap<>(catchUp);
                    left.entrySet().removeIf(e -> !c.assignment().contains(e.getKey()) || c.position(e.getKey()) >= e.getValue());
                    catchUp = Map.copyOf(left);
                }
            }
        } catch (WakeupException e) {
            if (running) {
                LOG.errorf("following shoal.torrents stopped unexpectedly");
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "following shoal.torrents failed; this worker seeds nothing new until restarted");
        } finally {
            owned.clear();
            retireAll("the worker stopped following shoal.torrents");
        }
    }

    private void handle(ConsumerRecord<String, byte[]> record, EventJson.TorrentPublishedDeserializer deserializer) {
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

    private void retire(Collection<TopicPartition> partitions, String why) {
        for (TopicPartition partition : partitions) {
            Set<String> gone = keys.remove(partition);
            if (gone != null) {
                gone.forEach(key -> target.retire(key, why));
            }
        }
    }

    private void retireAll(String why) {
        retire(List.copyOf(keys.keySet()), why);
    }

    /** Reads {@code partitions} again from their first record; the worker is caught up once it reaches today's end. */
    private void readFromStart(KafkaConsumer<String, byte[]> c, Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        c.seekToBeginning(partitions);
        Map<TopicPartition, Long> wait = new HashMap<>(catchUp);
        c.endOffsets(partitions).forEach((p, end) -> {
            if (end > 0) {
                wait.put(p, end);
            }
        });
        catchUp = Map.copyOf(wait);
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        private final KafkaConsumer<String, byte[]> c;

        Rebalance(KafkaConsumer<String, byte[]> c) {
            this.c = c;
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            joined = true;
            owned.addAll(partitions);
            if (partitions.isEmpty()) {
                return;
            }
            LOG.infof("seeding the torrents of partitions %s", partitions.stream().map(TopicPartition::partition).sorted().toList());
            readFromStart(c, partitions);
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            owned.removeAll(partitions);
            if (!partitions.isEmpty()) {
                LOG.infof("partitions %s move to another worker", partitions.stream().map(TopicPartition::partition).sorted().toList());
                retire(partitions, "moved to another worker");
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            owned.removeAll(partitions);
            LOG.warnf("this worker lost partitions %s (it left the group); their torrents stop here",
                    partitions.stream().map(TopicPartition::partition).sorted().toList());
            retire(partitions, "this worker lost its partition");
        }
    }
}
