package io.shoal.metadata.messaging;

import io.shoal.events.ArtifactUploadedEvent;
import io.shoal.metadata.MetadataMetrics;
import io.shoal.metadata.service.CatalogService;
import io.shoal.metadata.service.TransientFailure;
import io.shoal.metadata.service.UploadService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.Record;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.PersistenceException;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Follows {@code shoal.artifacts.uploaded}. An event is acknowledged once decided: recorded, or refused with a
 * reason the waiting gateway can show. While the store or the database is away, the event waits (and those
 * behind it, in order) and is tried again with a growing pause, as long as it takes: an upload the gateway
 * answered 202 for is never dropped. The offset is committed only past decided events, so a restart in the
 * middle handles the waiting one again.
 */
@ApplicationScoped
class UploadConsumer {

    private static final Logger LOG = Logger.getLogger(UploadConsumer.class);
    private static final Duration FIRST_PAUSE = Duration.ofMillis(500);
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(30);

    private final UploadService uploads;
    private final CatalogService catalog;
    private final MetadataMetrics metrics;

    UploadConsumer(UploadService uploads, CatalogService catalog, MetadataMetrics metrics) {
        this.uploads = uploads;
        this.catalog = catalog;
        this.metrics = metrics;
    }

    @Incoming("artifacts-uploaded")
    @Blocking
    void onUpload(Record<String, ArtifactUploadedEvent> record) {
        ArtifactUploadedEvent event = record.value();
        Optional<UUID> id = uuid(event != null ? event.artifactId() : record.key());
        if (event == null || id.isEmpty()) {
            metrics.handled(MetadataMetrics.Upload.UNREADABLE);
            LOG.warnf("an unreadable record on shoal.artifacts.uploaded (key %s)", record.key());
            // A readable key names the upload a gateway may be waiting on: tell it, rather than leave it waiting.
            if (id.isPresent()) {
                untilDecided(id.get(), "?", () -> {
                    try {
                        catalog.reject(id.get(), "?", "the upload's event could not be read");
                    } catch (PersistenceException e) {
                        throw new TransientFailure("the database failed: " + e.getMessage(), e);
                    }
                    return UploadService.Result.REJECTED;
                });
            }
            return;
        }
        UploadService.Result result = untilDecided(id.get(), event.name(), () -> uploads.process(id.get(), event));
        switch (result) {
            case PUBLISHED -> metrics.handled(MetadataMetrics.Upload.PUBLISHED);
            case UNCHANGED -> metrics.handled(MetadataMetrics.Upload.UNCHANGED);
            case REJECTED -> metrics.handled(MetadataMetrics.Upload.REJECTED);
            case ALREADY_HANDLED -> { }
        }
    }

    private interface Attempt {
        UploadService.Result run() throws TransientFailure;
    }

    private UploadService.Result untilDecided(UUID id, String name, Attempt attempt) {
        Duration pause = FIRST_PAUSE;
        long waitingSince = 0;
        for (int tries = 1; ; tries++) {
            try {
                UploadService.Result result = attempt.run();
                if (waitingSince != 0) {
                    LOG.infof("upload %s of '%s' handled after %d tries (%d s)", id, name, tries,
                            (System.currentTimeMillis() - waitingSince) / 1000);
                    metrics.waiting(false);
                }
                return result;
            } catch (TransientFailure e) {
                if (waitingSince == 0) {
                    waitingSince = System.currentTimeMillis();
                    metrics.waiting(true);
                }
                if (tries == 1 || pause.equals(LONGEST_PAUSE) && tries % 10 == 0) {
                    LOG.warnf("upload %s of '%s' waits: %s; trying again every %d s at most, as long as it takes", id, name,
                            e.getMessage(), LONGEST_PAUSE.toSeconds());
                }
                try {
                    Thread.sleep(pause.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    // Not acknowledged: after a restart the event is read again.
                    throw new IllegalStateException("stopped while upload " + id + " waited; it is handled after the restart");
                }
                pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
            }
        }
    }

    private static Optional<UUID> uuid(String text) {
        try {
            return text == null ? Optional.empty() : Optional.of(UUID.fromString(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
