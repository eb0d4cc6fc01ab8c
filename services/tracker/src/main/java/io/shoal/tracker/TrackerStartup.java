package io.shoal.tracker;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

class TrackerStartup {

    private static final Logger LOG = Logger.getLogger(TrackerStartup.class);

    void onStart(@Observes StartupEvent event, TrackerConfig config) {
        LOG.infof("tracker announce URL %s; interval %ss, peers expire after %ss; %s", config.announceUrl(),
                config.interval().toSeconds(), config.peerTtl().toSeconds(),
                config.open() ? "OPEN: any info-hash is tracked" : "only torrents published on shoal.torrents are tracked");
    }
}
