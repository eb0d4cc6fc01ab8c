package io.shoal.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the {@link ShoalTopic}s a cluster lacks, with their partitions and configs, and reports the ones
 * that exist with fewer partitions than Shoal expects. Existing topics are never altered: an operator may have
 * tuned them. Idempotent, so every service runs it at start and a recreated topic comes back by itself.
 */
public final class ShoalTopics {

    /** What {@link #ensure} found: topics it created, and existing topics that disagree with {@link ShoalTopic}. */
    public record Outcome(List<String> created, List<String> disagreements) {
    }

    private ShoalTopics() {
    }

    /**
     * @param replicationFactor copies of each partition; from 3 up, writes also need two in-sync copies
     *                          ({@code min.insync.replicas=2}), so an acknowledged record survives a broker's loss
     */
    public static Outcome ensure(Admin admin, short replicationFactor, Duration timeout)
            throws ExecutionException, InterruptedException, TimeoutException {
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("replication factor " + replicationFactor + " (expected: >= 1)");
        }
        List<NewTopic> wanted = new ArrayList<>();
        for (ShoalTopic topic : ShoalTopic.values()) {
            wanted.add(new NewTopic(topic.topicName(), topic.partitions(), replicationFactor)
                    .configs(configs(topic, replicationFactor)));
        }
        List<String> created = new ArrayList<>();
        List<String> existing = new ArrayList<>();
        for (var entry : admin.createTopics(wanted).values().entrySet()) {
            try {
                entry.getValue().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                created.add(entry.getKey());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
                existing.add(entry.getKey());
            }
        }
        List<String> disagreements = new ArrayList<>();
        if (!existing.isEmpty()) {
            Map<String, TopicDescription> described = admin.describeTopics(existing).allTopicNames()
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            for (ShoalTopic topic : ShoalTopic.values()) {
                TopicDescription description = described.get(topic.topicName());
                if (description != null && description.partitions().size() < topic.partitions()) {
                    disagreements.add(topic.topicName() + " has " + description.partitions().size()
                            + " partitions (expected: " + topic.partitions() + ")");
                }
            }
        }
        return new Outcome(List.copyOf(created), List.copyOf(disagreements));
    }

    static Map<String, String> configs(ShoalTopic topic, short replicationFactor) {
        Map<String, String> configs = new HashMap<>(topic.configs());
        if (replicationFactor >= 3) {
            configs.put("min.insync.replicas", "2");
        }
        return configs;
    }
}
