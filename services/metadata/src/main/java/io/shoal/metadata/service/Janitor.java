package io.shoal.metadata.service;

import io.quarkus.scheduler.Scheduled;
import io.shoal.events.ShoalTopic;
import io.shoal.metadata.MetadataConfig;
import io.shoal.metadata.MetadataMetrics;
import io.shoal.metadata.catalog.Artifact;
import io.shoal.objectstore.BlobStore;
import io.shoal.objectstore.ObjectKeys;
import io.shoal.platform.KafkaClientProperties;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Reclaims what no upload will ever use. An object belongs to the upload that wrote it (its key says which,
 * {@link ObjectKeys#owner}); what happens to it depends on what became of that upload:
 * <ul>
 *   <li>decided (an artifact, or a refusal): content objects that hold no recorded content go (copies of content
 *       stored before, objects of refused uploads), and so do the piece hashes and .torrent of anything not
 *       published; at once, since nothing will ever point at them;</li>
 *   <li>not decided: the upload may still be streaming, or its event waiting in Kafka. Its objects go only once
 *       older than the grace period and with metadata's consumer caught up with shoal.artifacts.uploaded (no event
 *       can still claim them): the leftovers of a gateway that died mid-upload or of an event Kafka never took.</li>
 * </ul>
 * Multipart uploads left open longer than the grace period are aborted.
 */
@ApplicationScoped
public class Janitor {

    private static final Logger LOG = Logger.getLogger(Janitor.class);

    /** What one sweep found and did. */
    public record Sweep(int removedObjects, int abortedUploads, boolean uploadsCaughtUp) {
    }

    private final CatalogService catalog;
    private final BlobStore blobs;
    private final MetadataConfig config;
    private final MetadataMetrics metrics;
    private final KafkaClientProperties kafka;
    private final String uploadsGroup;

    Janitor(CatalogService catalog, BlobStore blobs, MetadataConfig config, MetadataMetrics metrics, KafkaClientProperties kafka,
            @ConfigProperty(name = "mp.messaging.incoming.artifacts-uploaded.group.id") String uploadsGroup) {
        this.catalog = catalog;
        this.blobs = blobs;
        this.config = config;
        this.metrics = metrics;
        this.kafka = kafka;
        this.uploadsGroup = uploadsGroup;
    }

    @Scheduled(every = "${shoal.metadata.janitor.interval:10m}", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweepNow() {
        try {
            Sweep sweep = sweep(Instant.now());
            if (sweep.removedObjects() + sweep.abortedUploads() > 0) {
                LOG.infof("janitor: removed %d orphaned objects and aborted %d abandoned multipart uploads",
                        sweep.removedObjects(), sweep.abortedUploads());
            }
        } catch (IOException | RuntimeException e) {
            LOG.warnf("janitor: sweep failed (%s); next one in %s", e.getMessage(), config.janitor().interval());
        }
    }

    /** One pass over Shoal's objects and open multipart uploads, as of {@code now}. */
    public Sweep sweep(Instant now) throws IOException {
        Instant abandonedBefore = now.minus(config.janitor().grace());
        boolean caughtUp = uploadsCaughtUp();
        Map<UUID, CatalogService.Known> known = new HashMap<>();
        int[] removed = {0};
        for (String prefix : ObjectKeys.prefixes()) {
            blobs.list(prefix, blob -> ObjectKeys.owner(blob.key()).ifPresent(owner -> {
                CatalogService.Known upload = known.computeIfAbsent(owner, catalog::known);
                if (!keep(blob, upload, caughtUp, abandonedBefore) && remove(blob.key())) {
                    removed[0]++;
                }
            }));
        }
        int aborted = 0;
        for (BlobStore.PendingUpload pending : blobs.pendingUploads("")) {
            if (ObjectKeys.owner(pending.key()).isPresent() && pending.initiated().isBefore(abandonedBefore)) {
                blobs.abortUpload(pending);
                metrics.reclaimed(MetadataMetrics.Reclaimed.MULTIPART_UPLOAD);
                aborted++;
            }
        }
        return new Sweep(removed[0], aborted, caughtUp);
    }

    /** Whether an object stays: see the class comment for the rules. */
    static boolean keep(BlobStore.Blob blob, CatalogService.Known upload, boolean caughtUp, Instant abandonedBefore) {
        if (!upload.decided()) {
            return !(caughtUp && blob.lastModified().isBefore(abandonedBefore));
        }
        if (ObjectKeys.isContent(blob.key())) {
            return upload.contentKeys().contains(blob.key());
        }
        return upload.artifact().filter(status -> status == Artifact.Status.PUBLISHED).isPresent();
    }

    private boolean remove(String key) {
        try {
            blobs.remove(key);
            metrics.reclaimed(MetadataMetrics.Reclaimed.OBJECT);
            LOG.debugf("janitor: removed %s", key);
            return true;
        } catch (IOException e) {
            LOG.warnf("janitor: could not remove %s: %s", key, e.getMessage());
            return false;
        }
    }

    /** Whether metadata's consumer group has committed every upload event there is: none can still claim an object. */
    boolean uploadsCaughtUp() {
        try (Admin admin = kafka.admin(Duration.ofSeconds(15))) {
            String topic = ShoalTopic.ARTIFACTS_UPLOADED.topicName();
            List<TopicPartition> partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(15, TimeUnit.SECONDS)
                    .get(topic).partitions().stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            partitions.forEach(p -> latest.put(p, OffsetSpec.latest()));
            var ends = admin.listOffsets(latest).all().get(15, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(uploadsGroup)
                    .partitionsToOffsetAndMetadata().get(15, TimeUnit.SECONDS);
            for (TopicPartition partition : partitions) {
                long end = ends.get(partition).offset();
                OffsetAndMetadata done = committed.get(partition);
                if (end > 0 && (done == null || done.offset() < end)) {
                    return false;
                }
            }
            return true;
        } catch (Exception e) {
            LOG.warnf("janitor: cannot tell whether every upload event is handled (%s); undecided uploads are kept", e.getMessage());
            return false;
        }
    }
}
