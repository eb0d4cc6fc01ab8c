package io.shoal.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the {@link ShoalTopic}s a cluster lacks, with their partitions and configs, and reports the ones
 * that exist with fewer partitions than Shoal expects. Existing topics are altered only where Shoal could not work
 * otherwise: a {@code max.message.bytes} below what Shoal's events need is raised (a topic made before Shoal
 * needed more, or with the broker's default); anything else an operator may have tuned is left alone.
 * Idempotent, so every service runs it at start and a recreated topic comes back by itself.
 */
public final class ShoalTopics {

    /**
     * What {@link #ensure} found: topics it created, existing topics whose record size limit it raised, and
     * existing topics that disagree with {@link ShoalTopic}.
     */
    public record Outcome(List<String> created, List<String> raised, List<String> disagreements) {
    }

    private static final String MAX_MESSAGE_BYTES = "max.message.bytes";

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
        List<String> raised = existing.isEmpty() ? List.of() : raiseRecordLimits(admin, existing, timeout);
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
        return new Outcome(List.copyOf(created), raised, List.copyOf(disagreements));
    }

    /** Raises {@code max.message.bytes} of existing topics that allow smaller records than Shoal sends. */
    private static List<String> raiseRecordLimits(Admin admin, List<String> existing, Duration timeout)
            throws ExecutionException, InterruptedException, TimeoutException {
        Map<ConfigResource, ShoalTopic> resources = new HashMap<>();
        for (ShoalTopic topic : ShoalTopic.values()) {
            if (existing.contains(topic.topicName()) && topic.configs().containsKey(MAX_MESSAGE_BYTES)) {
                resources.put(new ConfigResource(ConfigResource.Type.TOPIC, topic.topicName()), topic);
            }
        }
        if (resources.isEmpty()) {
            return List.of();
        }
        Map<ConfigResource, Config> current = admin.describeConfigs(resources.keySet()).all()
                .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        Map<ConfigResource, Collection<AlterConfigOp>> changes = new HashMap<>();
        List<String> raised = new ArrayList<>();
        for (var entry : resources.entrySet()) {
            String wanted = entry.getValue().configs().get(MAX_MESSAGE_BYTES);
            ConfigEntry limit = current.get(entry.getKey()).get(MAX_MESSAGE_BYTES);
            if (limit == null || limit.value() == null || Long.parseLong(limit.value()) < Long.parseLong(wanted)) {
                changes.put(entry.getKey(), List.of(new AlterConfigOp(new ConfigEntry(MAX_MESSAGE_BYTES, wanted), AlterConfigOp.OpType.SET)));
                raised.add(entry.getKey().name() + " " + MAX_MESSAGE_BYTES + " " + (limit == null ? "unset" : limit.value()) + " -> " + wanted);
            }
        }
        if (!changes.isEmpty()) {
            admin.incrementalAlterConfigs(changes).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        return List.copyOf(raised);
    }

    static Map<String, String> configs(ShoalTopic topic, short replicationFactor) {
        Map<String, String> configs = new HashMap<>(topic.configs());
        if (replicationFactor >= 3) {
            configs.put("min.insync.replicas", "2");
        }
        return configs;
    }
}
