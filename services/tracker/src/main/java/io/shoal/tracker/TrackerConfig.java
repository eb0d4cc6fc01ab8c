package io.shoal.tracker;

import io.smallrye.config.ConfigMapping;

@ConfigMapping(prefix = "shoal.tracker")
public interface TrackerConfig {

    /** The announce URL clients use for this tracker (what metadata writes into .torrent files). */
    String announceUrl();
}
