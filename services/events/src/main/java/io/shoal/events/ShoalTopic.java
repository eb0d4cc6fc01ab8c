package io.shoal.events;

import java.time.Duration;
import java.util.Map;

/**
 * The Kafka topics the services talk over (DESIGN.md, "Events"). Whoever creates topics (the local
 * starter, the Kubernetes job, an operator) takes names, partition counts and configs from here.
 */
public enum ShoalTopic {

    /** Key: artifact id. Where the uploaded bytes are and how they hash; consumed by metadata. */
    ARTIFACTS_UPLOADED("shoal.artifacts.uploaded", 6, Map.of(
            "cleanup.policy", "delete",
            "retention.ms", Long.toString(Duration.ofDays(7).toMillis()))),

    /**
     * Key: v1 info-hash in hex; a tombstone retires the torrent. Compacted, so every consumer rebuilds
     * its state from the beginning. Seeder-workers split its partitions in one consumer group, so the
     * partition count bounds how many workers share the load.
     */
    TORRENTS("shoal.torrents", 12, Map.of(
            "cleanup.policy", "compact",
            "min.compaction.lag.ms", "0",
            "segment.ms", Long.toString(Duration.ofHours(1).toMillis()))),

    /**
     * Key: the sending tracker replica's id; value: a batch of announces, each with its info-hash (a record
     * per announce cost the broker more than the announce). Every tracker replica applies every other's;
     * peers expire after a few announce intervals, so a replica that restarts needs only the recent log.
     */
    TRACKER_ANNOUNCES("shoal.tracker.announces", 6, Map.of(
            "cleanup.policy", "delete",
            "retention.ms", Long.toString(Duration.ofHours(1).toMillis()))),

    /** Key: seeder id. Bytes served per torrent and per peer (the ledger). */
    SEEDER_STATS("shoal.seeder.stats", 3, Map.of(
            "cleanup.policy", "delete",
            "retention.ms", Long.toString(Duration.ofDays(1).toMillis())));

    private final String topicName;
    private final int partitions;
    private final Map<String, String> configs;

    ShoalTopic(String topicName, int partitions, Map<String, String> configs) {
        this.topicName = topicName;
        this.partitions = partitions;
        this.configs = configs;
    }

    public String topicName() {
        return topicName;
    }

    public int partitions() {
        return partitions;
    }

    /** Topic-level Kafka configs (cleanup policy, retention). */
    public Map<String, String> configs() {
        return configs;
    }

    public boolean compacted() {
        return configs.getOrDefault("cleanup.policy", "delete").contains("compact");
    }
}
