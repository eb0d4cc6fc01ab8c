package io.shoal.seeder;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

class SeederStartup {

    private static final Logger LOG = Logger.getLogger(SeederStartup.class);

    void onStart(@Observes StartupEvent event, SeederConfig config) {
        LOG.infof("seeder-worker peer port %d, advertised as %s:%d", config.peerPort(), config.advertisedHost(),
                config.advertisedPort().orElse(config.peerPort()));
    }
}
