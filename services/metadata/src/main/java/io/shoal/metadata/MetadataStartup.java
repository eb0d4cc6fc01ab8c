package io.shoal.metadata;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/** Refuses a guessable service credential, and says where new torrents announce. */
class MetadataStartup {

    static final int MIN_TOKEN_LENGTH = 16;
    private static final Logger LOG = Logger.getLogger(MetadataStartup.class);

    void onStart(@Observes StartupEvent event, MetadataConfig config) {
        if (config.internalApiToken().strip().length() < MIN_TOKEN_LENGTH) {
            throw new IllegalStateException("shoal.metadata.internal-api-token (SHOAL_METADATA_INTERNAL_API_TOKEN) must be at least "
                    + MIN_TOKEN_LENGTH + " characters");
        }
        LOG.infof("metadata ready; new torrents announce to %s", String.join(", ", config.announceUrls()));
    }
}
