package io.shoal.metadata;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

class MetadataStartup {

    private static final Logger LOG = Logger.getLogger(MetadataStartup.class);

    void onStart(@Observes StartupEvent event, MetadataConfig config) {
        LOG.infof("metadata ready; new torrents announce to %s", String.join(", ", config.announceUrls()));
    }
}
