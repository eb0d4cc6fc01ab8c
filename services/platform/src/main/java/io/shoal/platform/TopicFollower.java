package io.shoal.platform;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Reads one topic on a thread of its own with a plain Kafka consumer, for state a service rebuilds from a log
 * rather than consumes once: nothing is committed. Two ways to share the topic out:
 * <ul>
 *   <li>{@link #allPartitions}: every partition, outside any consumer group (every tracker replica needs all of
 *       shoal.torrents and of the replicated announces), each started where {@link Reader#seekStart} says;</li>
 *   <li>{@link #inGroup}: the partitions a consumer group gives this member (the seeder-workers share
 *       shoal.torrents), each read from its beginning when assigned and handed back by {@link Reader#released}
 *       when the group moves it away, when this member loses the group, or when the follower stops.</li>
 * </ul>
 * Either way it waits out a broker that is not there yet, reads a topic deleted and created again from its start,
 * seeks a stalled partition afresh ({@link StalledPartitions}), and reports {@link #caughtUp()} once it has read
 * what its partitions held when it got them: when the service may call itself ready.
 */
public final class TopicFollower {

    private static final Logger LOG = Logger.getLogger(TopicFollower.class);
    /** How often the follower asks whether the topic is still the one it reads. */
    private static final Duration RECHECK = Duration.ofSeconds(10);
    /** How long a partition with unread records may go without its position moving. */
    private static final Duration STALL_CHECK = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(200);

    /** What is done with the topic; every method runs on the follower's thread. */
    public interface Reader {
        /** One record; must not throw for a malformed one (log it and go on). */
        void handle(ConsumerRecord<String, byte[]> record);

        /** Where to start partitions read for the first time (group members: every time the group gives them); the beginning unless overridden. */
        default void seekStart(Consumer<String, byte[]> consumer, Collection<TopicPartition> partitions) {
            consumer.seekToBeginning(partitions);
        }

        /** Partitions about to be read from their start (group members: the group gave them to this one). */
        default void assigned(Collection<TopicPartition> partitions) {
        }

        /** Partitions no longer read here, and why: what was built from them is not this follower's any more. */
        default void released(Collection<TopicPartition> partitions, String why) {
        }
    }

    private final String topic;
    private final boolean group;
    private final Reader reader;
    private final Properties properties = new Properties();
    private final Set<TopicPartition> held = ConcurrentHashMap.newKeySet();
    private volatile TopicFollower after;
    /** End offsets still to reach, by partition; only the follower's thread writes it. */
    private volatile Map<TopicPartition, Long> catchUp = Map.of();
    private volatile boolean started;
    private volatile boolean running = true;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    private TopicFollower(Properties kafka, String topic, String clientId, String groupId, Reader reader) {
        this.topic = topic;
        this.group = groupId != null;
        this.reader = reader;
        properties.putAll(kafka);
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // A position the topic no longer has (it was recreated, or truncated): read what it has rather than skip it.
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "100");
        // while Kafka is away, try again within seconds rather than warn many times a second
        properties.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "5000");
        // notice within seconds that the topic's partitions went away or came back (a deleted, recreated topic)
        properties.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "10000");
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        if (group) {
            properties.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
            properties.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        }
    }

    /**
     * Starts each partition at its first record written at or after {@code fromMillis}, or at its end when none is
     * that recent: for a {@link Reader#seekStart} that wants only the recent past.
     */
    public static void seekToTime(Consumer<String, byte[]> consumer, Collection<TopicPartition> partitions, long fromMillis) {
        Map<TopicPartition, Long> since = new HashMap<>();
        partitions.forEach(p -> since.put(p, fromMillis));
        Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(since);
        for (TopicPartition partition : partitions) {
            OffsetAndTimestamp at = offsets.get(partition);
            if (at == null) {
                consumer.seekToEnd(List.of(partition));
            } else {
                consumer.seek(partition, at.offset());
            }
        }
    }

    /**
     * Every partition of {@code topic}, outside any group.
     *
     * @param kafka the service's Kafka connection settings ({@link KafkaClientProperties})
     */
    public static TopicFollower allPartitions(Properties kafka, String topic, String clientId, Reader reader) {
        return new TopicFollower(kafka, topic, clientId, null, reader);
    }

    /** This member's share of {@code topic} in {@code groupId}, which it leaves after {@code sessionTimeout} of silence. */
    public static TopicFollower inGroup(Properties kafka, String topic, String groupId, String clientId,
                                        Duration sessionTimeout, Reader reader) {
        TopicFollower follower = new TopicFollower(kafka, topic, clientId, groupId, reader);
        follower.properties.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, Long.toString(sessionTimeout.toMillis()));
        follower.properties.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG,
                Long.toString(Math.max(1000, sessionTimeout.toMillis() / 4)));
        return follower;
    }

    /** A consumer setting of this follower's own (fetch sizes, say); before {@link #start()}. */
    public TopicFollower with(String consumerSetting, String value) {
        properties.put(consumerSetting, value);
        return this;
    }

    /** Reads nothing before {@code earlier} has caught up (announces only mean something for known torrents). */
    public TopicFollower after(TopicFollower earlier) {
        this.after = earlier;
        return this;
    }

    /** Whether it has its partitions and has read them up to where they stood when it got them. */
    public boolean caughtUp() {
        return started && catchUp.isEmpty();
    }

    /** Partitions read here now; 0 before it has any, and once it stopped following the topic. */
    public int partitions() {
        return held.size();
    }

    public void start() {
        thread = new Thread(this::run, "follow-" + topic);
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops reading; {@link Reader#released} hears of every partition still held before this returns. */
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
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(properties);
             TopicIdentity identity = new TopicIdentity(properties, topic, RECHECK)) {
            consumer = c;
            while (after != null && !after.caughtUp() && running) {
                pause();
            }
            if (group) {
                c.subscribe(List.of(topic), new Rebalance(c));
            } else {
                List<TopicPartition> partitions = partitions(c);
                if (partitions.isEmpty()) {
                    return;
                }
                c.assign(partitions);
                held.addAll(partitions);
                reader.seekStart(c, partitions);
                expectEnds(c, partitions);
                started = true;
            }
            identity.changed(); // the topic read from here on
            StalledPartitions stalled = new StalledPartitions(STALL_CHECK);
            boolean reported = false;
            while (running) {
                if (identity.changed()) {
                    LOG.warnf("%s was deleted and created again; reading it again from its start", topic);
                    recreated(c);
                }
                for (ConsumerRecord<String, byte[]> record : c.poll(POLL)) {
                    reader.handle(record);
                }
                stalled.check(c);
                if (!catchUp.isEmpty()) {
                    Map<TopicPartition, Long> left = new HashMap<>(catchUp);
                    left.entrySet().removeIf(e -> !c.assignment().contains(e.getKey()) || c.position(e.getKey()) >= e.getValue());
                    catchUp = Map.copyOf(left);
                }
                if (!reported && caughtUp()) {
                    reported = true;
                    LOG.infof("read %s up to where it stood (%d partitions)", topic, held.size());
                }
            }
        } catch (WakeupException e) {
            if (running) {
                LOG.errorf("following %s stopped unexpectedly", topic);
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "following %s failed; nothing more is read from it until the service restarts", topic);
        } finally {
            List<TopicPartition> still = List.copyOf(held);
            held.clear();
            if (!still.isEmpty()) {
                reader.released(still, "the service stopped following " + topic);
            }
        }
    }

    /**
     * A topic deleted and created again under the same name: positions in the old one mean nothing here. A group
     * member is behind again until it has re-read its share (what it seeds comes from it); a follower of every
     * partition stays caught up while it re-reads, as before the shared follower (a tracker replica that already
     * knows its torrents keeps answering rather than going unready).
     */
    private void recreated(KafkaConsumer<String, byte[]> c) {
        if (group) {
            c.seekToBeginning(c.assignment());
            expectEnds(c, c.assignment());
            return;
        }
        List<TopicPartition> partitions = partitions(c);
        c.assign(partitions);
        held.retainAll(partitions);
        held.addAll(partitions);
        c.seekToBeginning(partitions);
    }

    /** Marks the follower behind until it reaches the partitions' current ends. */
    private void expectEnds(KafkaConsumer<String, byte[]> c, Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        Map<TopicPartition, Long> wait = new HashMap<>(catchUp);
        c.endOffsets(partitions).forEach((p, end) -> {
            if (end > 0) {
                wait.put(p, end);
            }
        });
        catchUp = Map.copyOf(wait);
    }

    private void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WakeupException();
        }
    }

    /** The topic's partitions, waiting (and saying so) while the broker or the topic is not there. */
    private List<TopicPartition> partitions(KafkaConsumer<String, byte[]> c) {
        while (running) {
            try {
                var info = c.partitionsFor(topic, Duration.ofSeconds(10));
                if (info != null && !info.isEmpty()) {
                    return info.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
                }
                LOG.warnf("topic %s does not exist yet; waiting", topic);
                pause();
            } catch (org.apache.kafka.common.errors.TimeoutException e) {
                LOG.warnf("Kafka did not answer for %s within 10 s; retrying", topic);
            }
        }
        return List.of();
    }

    private static List<Integer> numbers(Collection<TopicPartition> partitions) {
        return partitions.stream().map(TopicPartition::partition).sorted().toList();
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        private final KafkaConsumer<String, byte[]> c;

        Rebalance(KafkaConsumer<String, byte[]> c) {
            this.c = c;
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            started = true;
            held.addAll(partitions);
            if (partitions.isEmpty()) {
                return;
            }
            reader.assigned(partitions);
            reader.seekStart(c, partitions);
            expectEnds(c, partitions);
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            held.removeAll(partitions);
            if (!partitions.isEmpty()) {
                LOG.infof("partitions %s of %s move to another member of the group", numbers(partitions), topic);
                reader.released(partitions, "moved to another worker");
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            held.removeAll(partitions);
            LOG.warnf("lost partitions %s of %s (this member left the group); what they held stops here",
                    numbers(partitions), topic);
            reader.released(partitions, "this worker lost its partition");
        }
    }
}
