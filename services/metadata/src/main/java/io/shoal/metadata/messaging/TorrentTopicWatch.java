package io.shoal.metadata.messaging;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.shoal.events.ShoalTopic;
import io.shoal.events.ShoalTopics;
import io.shoal.metadata.MetadataMetrics;
import io.shoal.metadata.service.CatalogService;
import io.shoal.platform.KafkaClientProperties;
import io.shoal.platform.ShoalKafkaConfig;
import io.shoal.platform.TopicIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jboss.logging.Logger;

/**
 * Keeps {@code shoal.torrents} holding every published torrent, whatever happened to the topic: metadata reads it
 * like every other consumer (all partitions, from the beginning) and, every reconcile interval, sends again each
 * torrent the catalog says was acknowledged but the topic no longer holds (a topic deleted and recreated, or
 * wiped). A missing topic is created again. The tracker and the seeders, which rebuild their state from the
 * topic, then serve those torrents again.
 */
@ApplicationScoped
public class TorrentTopicWatch {

    private static final Logger LOG = Logger.getLogger(TorrentTopicWatch.class);
    private static final String TOPIC = ShoalTopic.TORRENTS.topicName();
    private static final Duration RECHECK = Duration.ofSeconds(5);

    private final CatalogService catalog;
    private final KafkaClientProperties kafka;
    private final ShoalKafkaConfig kafkaConfig;
    private final MetadataMetrics metrics;
    /** Keys the topic holds a torrent for (a tombstone removes its key). */
    private final Map<String, Boolean> held = new ConcurrentHashMap<>();
    /** How far the reader got, per partition of the topic it reads now. */
    private final Map<TopicPartition, Long> read = new ConcurrentHashMap<>();
    private volatile Uuid topicId;
    private volatile TopicIdentity identity;
    private volatile boolean running = true;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    TorrentTopicWatch(CatalogService catalog, KafkaClientProperties kafka, ShoalKafkaConfig kafkaConfig, MetadataMetrics metrics) {
        this.catalog = catalog;
        this.kafka = kafka;
        this.kafkaConfig = kafkaConfig;
        this.metrics = metrics;
    }

    void start(@Observes StartupEvent event) {
        identity = new TopicIdentity(kafka.properties(), TOPIC, RECHECK);
        thread = new Thread(this::follow, "watch-" + TOPIC);
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (identity != null) {
            identity.close();
        }
    }

    /** Reads the topic; starts over (an empty picture) whenever the topic is a new one, after a delete and create. */
    private void follow() {
        while (running) {
            Optional<Uuid> current;
            try {
                current = identity.current();
            } catch (IllegalStateException e) {
                current = Optional.empty();
            }
            if (current.isEmpty()) {
                pause();
                continue;
            }
            held.clear();
            read.clear();
            topicId = current.get();
            try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(consumerProperties())) {
                consumer = c;
                List<TopicPartition> partitions = c.partitionsFor(TOPIC, Duration.ofSeconds(15)).stream()
                        .map(p -> new TopicPartition(TOPIC, p.partition())).toList();
                c.assign(partitions);
                c.seekToBeginning(partitions);
                long nextCheck = System.nanoTime() + RECHECK.toNanos();
                while (running) {
                    for (ConsumerRecord<String, byte[]> record : c.poll(Duration.ofMillis(500))) {
                        if (record.key() != null) {
                            if (record.value() == null) {
                                held.remove(record.key());
                            } else {
                                held.put(record.key(), Boolean.TRUE);
                            }
                        }
                    }
                    partitions.forEach(p -> read.put(p, c.position(p)));
                    if (System.nanoTime() > nextCheck) {
                        nextCheck = System.nanoTime() + RECHECK.toNanos();
                        if (!identity.current().equals(Optional.of(topicId))) {
                            LOG.warnf("%s was deleted or recreated; reading it again from the start", TOPIC);
                            break;
                        }
                    }
                }
            } catch (WakeupException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warnf("reading %s failed (%s); starting over", TOPIC, e.getMessage());
                pause();
            } finally {
                consumer = null;
            }
        }
    }

    /**
     * Sends again what the topic lost: the catalog's acknowledged torrents are taken first, then the topic's end
     * offsets; once the reader has read that far, any of those torrents it has not seen is gone from the topic.
     */
    @Scheduled(every = "${shoal.metadata.reconcile-interval:30s}", delayed = "20s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void reconcile() {
        try {
            Optional<Uuid> topic = identity.current();
            if (topic.isEmpty()) {
                recreate();
                return;
            }
            Map<String, UUID> announced = catalog.announcedSwarms();
            Map<TopicPartition, Long> ends = endOffsets();
            if (!topic.get().equals(topicId) || !readUpTo(ends, Duration.ofSeconds(10))) {
                return; // the reader is on an older topic or behind: next time
            }
            int lost = 0;
            for (Map.Entry<String, UUID> torrent : announced.entrySet()) {
                if (!held.containsKey(torrent.getKey())) {
                    catalog.markPublished(torrent.getValue(), false); // the outbox sends it within seconds
                    lost++;
                }
            }
            if (lost > 0) {
                metrics.republished(lost);
                LOG.warnf("%s lost %d published torrents; sending them again", TOPIC, lost);
            }
        } catch (RuntimeException e) {
            LOG.warnf("comparing %s with the catalog failed (%s); next time", TOPIC, e.getMessage());
        }
    }

    private boolean readUpTo(Map<TopicPartition, Long> ends, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        while (System.nanoTime() < deadline) {
            boolean done = ends.entrySet().stream().allMatch(e -> read.getOrDefault(e.getKey(), -1L) >= e.getValue());
            if (done) {
                return true;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    private void recreate() {
        if (!kafkaConfig.createTopics()) {
            LOG.warnf("%s does not exist; create it (ShoalTopic) and its torrents are sent again", TOPIC);
            return;
        }
        try (Admin admin = admin()) {
            if (!ShoalTopics.ensure(admin, kafkaConfig.replicationFactor(), Duration.ofSeconds(15)).created().isEmpty()) {
                LOG.warnf("%s was gone; created it again, its torrents follow", TOPIC);
            }
        } catch (Exception e) {
            LOG.warnf("%s is gone and cannot be created yet: %s", TOPIC, e.getMessage());
        }
    }

    private Map<TopicPartition, Long> endOffsets() {
        Properties properties = consumerProperties();
        try (KafkaConsumer<String, byte[]> probe = new KafkaConsumer<>(properties)) {
            List<TopicPartition> partitions = probe.partitionsFor(TOPIC, Duration.ofSeconds(15)).stream()
                    .map(p -> new TopicPartition(TOPIC, p.partition())).toList();
            return new HashMap<>(probe.endOffsets(partitions, Duration.ofSeconds(15)));
        }
    }

    private void pause() {
        try {
            Thread.sleep(RECHECK.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private Admin admin() {
        return kafka.admin(Duration.ofSeconds(15));
    }

    private Properties consumerProperties() {
        Properties properties = kafka.properties();
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "metadata-watch-" + UUID.randomUUID());
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.METADATA_MAX_AGE_CONFIG, "5000");
        properties.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "5000");
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return properties;
    }
}
