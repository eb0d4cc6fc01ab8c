package io.shoal.events;

import java.time.Duration;
import java.util.Map;

/**
 * The Kafka topics the services talk over (DESIGN.md, "Events"). Whoever creates topics (the local
 * starter, the Kubernetes job, an operator) takes names, partition counts and configs from here.
 */
public enum ShoalTopic {

    /**
     * Key: artifact id. Where the uploaded bytes are and how they hash; consumed by metadata. An event lists every
     * file (10,000 files of ordinary paths make about 2 MB), so records may be up to {@link #MAX_RECORD_BYTES}.
     */
    ARTIFACTS_UPLOADED("shoal.artifacts.uploaded", 6, Map.of(
            "cleanup.policy", "delete",
            "retention.ms", Long.toString(Duration.ofDays(7).toMillis()),
            "max.message.bytes", Integer.toString(ShoalTopic.MAX_RECORD_BYTES))),

    /**
     * Key: v1 info-hash in hex; a tombstone retires the torrent. Compacted, so every consumer rebuilds
     * its state from the beginning. Seeder-workers split its partitions in one consumer group, so the
     * partition count bounds how many workers share the load.
     */
    TORRENTS("shoal.torrents", 12, Map.of(
            "cleanup.policy", "compact",
            "min.compaction.lag.ms", "0",
            "segment.ms", Long.toString(Duration.ofHours(1).toMillis()),
            "max.message.bytes", Integer.toString(ShoalTopic.MAX_RECORD_BYTES))),

    /**
     * Key: the sending tracker replica's id; value: a batch of announces, each with its info-hash (a record
     * per announce cost the broker more than the announce). Every tracker replica applies every other's;
     * peers expire after a few announce intervals, so a replica that restarts needs only the recent log.
     */
    TRACKER_ANNOUNCES("shoal.tracker.announces", 6, Map.of(
            "cleanup.policy", "delete",
            "retention.ms", Long.toString(Duration.ofHours(1).toMillis()))),

    /**
     * Key: swarm key. Each tracker replica's latest announce per host and swarm ({@link HostReportsEvent}), for
     * metadata's fleet ledger and rollout view.
     */
    TRACKER_HOSTS("shoal.tracker.hosts", 3, Map.of(
            "cleanup.policy", "delete",
            "retention.ms", Long.toString(Duration.ofDays(1).toMillis()))),

    /** Key: seeder id. Bytes served per torrent and per peer (the ledger). */
    SEEDER_STATS("shoal.seeder.stats", 3, Map.of(
            "cleanup.policy", "delete",
            "retention.ms", Long.toString(Duration.ofDays(1).toMillis()))),

    /**
     * Key: swarm key. An operator's preheat ({@link PreheatRequestedEvent}), sent by metadata; every seeder-worker
     * reads it (no group) and the one seeding the torrent reads its pieces into its cache. A worker that starts reads
     * the requests of the last hour, so a torrent that moves to it after a failure is preheated there too.
     */
    SEEDER_PREHEAT("shoal.seeder.preheat", 3, Map.of(
            "cleanup.policy", "delete",
            "retention.ms", Long.toString(Duration.ofDays(1).toMillis())));

    /**
     * The largest upload event Shoal sends, serialized: the gateway refuses an upload whose file list would make a
     * larger one (413). A torrent's event repeats the file list with a few more fields, within the headroom below.
     */
    public static final int MAX_UPLOAD_EVENT_BYTES = 8 * 1024 * 1024;

    /**
     * The records of {@link #ARTIFACTS_UPLOADED} and {@link #TORRENTS} may be this large: the topics'
     * {@code max.message.bytes} and the producers' {@code max.request.size} (Kafka's default, 1 MiB, would refuse
     * the event of a form of 10,000 files). An upload event plus 1 MiB for the torrent event's additions and the
     * record batch's framing.
     */
    public static final int MAX_RECORD_BYTES = MAX_UPLOAD_EVENT_BYTES + 1024 * 1024;

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
