package io.shoal.metadata.torrent;

import io.shoal.events.ArtifactUploadedEvent;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.PersistenceException;
import java.io.IOException;
import java.time.Duration;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Follows {@code shoal.artifacts.uploaded}. An event is acknowledged once handled: recorded, refused for
 * a reason the event carries, or given up on after the store or the database failed for minutes. Events
 * of one partition are handled in order.
 */
@ApplicationScoped
class UploadConsumer {

    private static final Logger LOG = Logger.getLogger(UploadConsumer.class);
    private static final int ATTEMPTS = 12;

    private final UploadProcessor processor;

    UploadConsumer(UploadProcessor processor) {
        this.processor = processor;
    }

    @Incoming("artifacts-uploaded")
    @Blocking
    void onUpload(ArtifactUploadedEvent event) throws InterruptedException {
        if (event == null) {
            LOG.warn("dropped an unreadable record on shoal.artifacts.uploaded");
            return;
        }
        Duration backoff = Duration.ofMillis(500);
        for (int attempt = 1; ; attempt++) {
            try {
                processor.process(event);
                return;
            } catch (IOException | PersistenceException e) {
                if (attempt == ATTEMPTS) {
                    LOG.errorf("gave up on upload %s of '%s' after %d attempts: %s", event.artifactId(), event.name(),
                            attempt, e.getMessage());
                    return;
                }
                LOG.warnf("upload %s of '%s' failed (attempt %d of %d, again in %d ms): %s", event.artifactId(),
                        event.name(), attempt, ATTEMPTS, backoff.toMillis(), e.getMessage());
                Thread.sleep(backoff.toMillis());
                backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(30)) > 0
                        ? Duration.ofSeconds(30) : backoff.multipliedBy(2);
            }
        }
    }
}
