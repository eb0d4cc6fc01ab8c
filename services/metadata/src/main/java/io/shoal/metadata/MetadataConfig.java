package io.shoal.metadata;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.List;
import java.util.Optional;

@ConfigMapping(prefix = "shoal.metadata")
public interface MetadataConfig {

    /** Tracker announce URLs written into every .torrent: the first as {@code announce}, all as {@code announce-list}. */
    List<String> announceUrls();

    /** Written as the .torrent's {@code created by}. */
    @WithDefault("Shoal ${quarkus.application.version}")
    String createdBy();

    /** BEP 19 web seed URLs written as {@code url-list}; none unless a deployment serves them. */
    Optional<List<String>> webSeedUrls();

    /** The largest piece-hashes object read for one upload; anything larger is refused as hostile. */
    @WithDefault("268435456")
    long maxPieceHashesBytes();
}
