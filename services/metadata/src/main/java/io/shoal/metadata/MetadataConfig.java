package io.shoal.metadata;

import io.smallrye.config.ConfigMapping;
import java.util.List;

@ConfigMapping(prefix = "shoal.metadata")
public interface MetadataConfig {

    /** Tracker announce URLs written into every .torrent: the first as {@code announce}, all as {@code announce-list}. */
    List<String> announceUrls();
}
