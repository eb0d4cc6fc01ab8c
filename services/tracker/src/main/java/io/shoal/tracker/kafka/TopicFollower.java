package io.shoal.tracker.kafka;

import io.shoal.platform.StalledPartitions;
import io.shoal.platform.TopicIdentity;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Reads every partition of one topic on a thread of its own, outside any consumer group: every tracker
 * replica needs all of it. Reports when it has read what the topic held when it started ({@link
 * #caughtUp()}), which is when the replica may be called ready. Waits out a broker that is not there yet.
 */
abstract class TopicFollower {

    private static final Logger LOG = Logger.getLogger(TopicFollower.class);
    /** How often the follower asks whether the topic is still the one it reads. */
    private static final Duration RECHECK = Duration.ofSeconds(10);
    /** How long a partition with unread records may go without its position moving. */
    private static final Duration STALL_CHECK = Duration.ofSeconds(30);

    private final String topic;
    private final TopicFollower after;
    private final Properties properties = new Properties();
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private volatile KafkaConsumer<String, byte[]> consumer;
    private volatile boolean running = true;
    private Thread thread;

    /**
     * @param kafka the service's Kafka connection settings ({@link io.shoal.platform.KafkaClientProperties})
     * @param after a follower that must have caught up before this one reads (null: none)
     */
    TopicFollower(Properties kafka, String topic, String clientId, TopicFollower after) {
        this.topic = topic;
        this.after = after;
        properties.putAll(kafka);
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        // Under load a fetch waits for 64 KiB (or 50 ms): fewer, larger fetches (a replica's batches are read back
        // by itself too, so this is part of what replication costs every announce).
        properties.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, "50");
        properties.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, Integer.toString(64 * 1024));
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        // while Kafka is away, try again within seconds rather than warn many times a second
        properties.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "5000");
        // A position the topic no longer has (it was recreated, or truncated): read what it has rather than skip it.
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    }

    /** Where to start reading each partition, with the consumer assigned to all of them. */
    abstract void seekStart(KafkaConsumer<String, byte[]> consumer, List<TopicPartition> partitions);

    /** One record; must not throw for a malformed one (log it and go on). */
    abstract void handle(ConsumerRecord<String, byte[]> record);

    public boolean caughtUp() {
        return caughtUp.getCount() == 0;
    }

    void start() {
        thread = new Thread(this::run, "follow-" + topic);
        thread.setDaemon(true);
        thread.start();
    }

    void stop() {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(5_000);
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
            List<TopicPartition> partitions = partitions(c);
            if (partitions.isEmpty()) {
                return;
            }
            c.assign(partitions);
            seekStart(c, partitions);
            Map<TopicPartition, Long> end = c.endOffsets(partitions);
            identity.changed(); // the topic read from here on
            StalledPartitions stalled = new StalledPartitions(STALL_CHECK);
            while (running) {
                if (identity.changed()) {
                    LOG.warnf("%s was deleted and created again; reading the new one from its start", topic);
                    partitions = partitions(c);
                    c.assign(partitions);
                    c.seekToBeginning(partitions);
                }
                ConsumerRecords<String, byte[]> records = c.poll(Duration.ofMillis(200));
                for (ConsumerRecord<String, byte[]> record : records) {
                    handle(record);
                }
                stalled.check(c);
                if (!caughtUp() && end.entrySet().stream().allMatch(e -> c.position(e.getKey()) >= e.getValue())) {
                    LOG.infof("read %s up to where it stood at start", topic);
                    caughtUp.countDown();
                }
            }
        } catch (WakeupException e) {
            if (running) {
                LOG.errorf(e, "following %s stopped unexpectedly", topic);
            }
        } catch (RuntimeException e) {
            LOG.errorf(e, "following %s failed; this replica stays not ready", topic);
        }
    }

    private static void pause() {
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
}
