package io.shoal.tracker;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

class TrackerStartup {

    private static final Logger LOG = Logger.getLogger(TrackerStartup.class);

    void onStart(@Observes StartupEvent event, TrackerConfig config) {
        LOG.infof("tracker announce URL %s", config.announceUrl());
    }
}
