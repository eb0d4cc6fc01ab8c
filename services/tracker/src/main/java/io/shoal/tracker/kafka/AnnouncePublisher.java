package io.shoal.tracker.kafka;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.shoal.bittorrent.metainfo.InfoHash;
import io.shoal.events.ShoalTopic;
import io.shoal.platform.KafkaClientProperties;
import io.shoal.tracker.TrackerConfig;
import io.shoal.tracker.TrackerMetrics;
import io.shoal.tracker.swarm.PeerUpdate;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;

/**
 * Sends every recorded announce to shoal.tracker.announces for the other replicas. The announcing
 * thread only adds to a bounded, lock-free queue (no lock shared by the UDP threads and the event loops, no
 * thread woken per announce): when Kafka is slow or gone the queue fills and announces are dropped and
 * counted, never waited for. One thread takes what gathered every 20 ms to Kafka, a batch per record,
 * keyed by this replica's id (one partition, so the other replicas read its announces in order).
 */
@ApplicationScoped
public class AnnouncePublisher {

    private static final Logger LOG = Logger.getLogger(AnnouncePublisher.class);

    /** Announces in one record at most, and how long the sender waits to gather them. */
    static final int BATCH = 4096;
    static final long BATCH_WINDOW_MILLIS = 20;

    private final UUID replica = UUID.randomUUID();
    private final ConcurrentLinkedQueue<ReplicatedAnnounce> queue = new ConcurrentLinkedQueue<>();
    /** Announces in the queue (a linked queue's own size() walks it). */
    private final AtomicInteger queued = new AtomicInteger();
    private final int capacity;
    private final boolean enabled;
    private final TrackerMetrics metrics;
    private final KafkaClientProperties kafka;
    private volatile boolean running = true;
    private volatile long lastFailureLog;
    private Thread thread;

    AnnouncePublisher(TrackerConfig config, TrackerMetrics metrics,
                      KafkaClientProperties kafka) {
        this.capacity = config.replication().queueCapacity();
        this.enabled = config.replication().enabled();
        this.metrics = metrics;
        this.kafka = kafka;
    }

    /** This process's id on the topic: a replica skips its own records, and a restart is a new replica. */
    public UUID replica() {
        return replica;
    }

    public void publish(InfoHash infoHash, PeerUpdate update) {
        if (!enabled) {
            return;
        }
        if (queued.incrementAndGet() > capacity) {
            queued.decrementAndGet();
            metrics.replicationDropped(1);
            return;
        }
        queue.offer(new ReplicatedAnnounce(infoHash, update));
    }

    void onStart(@Observes StartupEvent event) {
        if (!enabled) {
            LOG.info("replication off (shoal.tracker.replication.enabled=false): announces stay in this replica");
            return;
        }
        thread = new Thread(this::run, "replicate-announces");
        thread.setDaemon(true);
        thread.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        running = false;
        if (thread != null) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        // Announces are soon stale and the next one repeats them: one acknowledgement, no retries for long.
        Properties p = BestEffortProducer.properties(kafka, "tracker-" + replica, 5);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(128 * 1024));
        String topic = ShoalTopic.TRACKER_ANNOUNCES.topicName();
        String key = replica.toString();
        List<ReplicatedAnnounce> batch = new ArrayList<>(BATCH);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p)) {
            while (running || !queue.isEmpty()) {
                if (queued.get() < BATCH && running) {
                    Thread.sleep(BATCH_WINDOW_MILLIS); // gather a batch: one record for many announces
                }
                for (ReplicatedAnnounce next; batch.size() < BATCH && (next = queue.poll()) != null; ) {
                    batch.add(next);
                }
                if (batch.isEmpty()) {
                    continue;
                }
                queued.addAndGet(-batch.size());
                send(producer, topic, key, batch);
                batch.clear();
            }
            producer.flush();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.errorf(e, "replicating announces stopped; the other replicas no longer hear this one's announces");
        }
    }

    private void send(KafkaProducer<String, byte[]> producer, String topic, String key, List<ReplicatedAnnounce> batch) {
        int count = batch.size();
        try {
            producer.send(new ProducerRecord<>(topic, key, ReplicatedAnnounce.encodeBatch(batch)), (metadata, failure) -> {
                if (failure == null) {
                    metrics.replicationSent(count);
                } else {
                    dropped(failure, count);
                }
            });
        } catch (org.apache.kafka.common.KafkaException e) {
            dropped(e, count); // e.g. no metadata within max.block.ms: Kafka is unreachable
        }
    }

    private void dropped(Exception failure, int count) {
        metrics.replicationDropped(count);
        long now = System.currentTimeMillis();
        if (now - lastFailureLog > 10_000) { // once per 10 s, not once per announce
            lastFailureLog = now;
            LOG.warnf("announces are not reaching the other replicas: %s", failure.getMessage());
        }
    }
}
