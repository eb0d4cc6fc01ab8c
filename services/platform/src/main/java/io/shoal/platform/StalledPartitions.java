package io.shoal.platform;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.jboss.logging.Logger;

/**
 * Notices a consumer that has stopped reading a partition: records wait beyond its position and the position
 * has not moved for a whole interval, although the consumer polls all along. Seen once after a broker restart (a
 * seeder never read the first record a partition got after it, and so never seeded that torrent; the cause inside
 * the client was not found): seeking the partition to its own position again makes the client fetch it afresh.
 * Call {@link #check} from the consumer's thread, between polls; it asks Kafka at most once an interval.
 */
public final class StalledPartitions {

    private static final Logger LOG = Logger.getLogger(StalledPartitions.class);

    private final Duration interval;
    private Map<TopicPartition, Long> before = Map.of();
    private long nextCheck;

    public StalledPartitions(Duration interval) {
        this.interval = interval;
        this.nextCheck = System.nanoTime() + interval.toNanos();
    }

    /** @return the partitions found stalled and sought again (empty most of the time) */
    public List<TopicPartition> check(Consumer<?, ?> consumer) {
        long now = System.nanoTime();
        if (now - nextCheck < 0) {
            return List.of();
        }
        nextCheck = now + interval.toNanos();
        Set<TopicPartition> assigned = consumer.assignment();
        if (assigned.isEmpty()) {
            before = Map.of();
            return List.of();
        }
        Map<TopicPartition, Long> positions = new HashMap<>();
        Map<TopicPartition, Long> ends;
        try {
            for (TopicPartition partition : assigned) {
                positions.put(partition, consumer.position(partition, Duration.ofSeconds(5)));
            }
            ends = consumer.endOffsets(assigned, Duration.ofSeconds(5));
        } catch (RetriableException e) {
            before = Map.of(); // Kafka is away: nothing can be judged until it answers again
            return List.of();
        }
        List<TopicPartition> stalled = new ArrayList<>();
        positions.forEach((partition, position) -> {
            Long end = ends.get(partition);
            if (end != null && position < end && position.equals(before.get(partition))) {
                LOG.warnf("%s: records %d to %d wait, and the position has not moved for %d s; fetching them again",
                        partition, position, end - 1, interval.toSeconds());
                consumer.seek(partition, position);
                stalled.add(partition);
            }
        });
        before = Map.copyOf(positions);
        return List.copyOf(stalled);
    }
}
