package io.shoal.metadata;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
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

    /** The service credential the gateway sends to the internal API (at least 16 characters). */
    String internalApiToken();

    Janitor janitor();

    Rollout rollout();

    /** The fleet ledger behind the rollout view. */
    interface Rollout {
        /**
         * A host without every byte that showed no progress for this long is stalled: longer than a client's announce
         * interval (the tracker's, 5 min by default), since progress is seen only when a host announces.
         */
        @WithDefault("11m")
        Duration stalledAfter();

        /** How often the totals are sampled for the rollout's history. */
        @WithDefault("1m")
        Duration sampleInterval();

        /** How long samples are kept (after a day, one an hour). */
        @WithDefault("30d")
        Duration history();

        /** Hosts (and seeder-workers) silent for this long leave the ledger. */
        @WithDefault("7d")
        Duration hostRetention();
    }

    /** How often shoal.torrents is compared with the catalog, and torrents it lost are sent again. */
    @WithDefault("30s")
    Duration reconcileInterval();

    /** Reclaims what no upload will ever use: objects of refused or abandoned uploads, multipart uploads left open. */
    interface Janitor {
        /** How often it looks. */
        @WithDefault("10m")
        Duration interval();

        /**
         * How old an object of an undecided upload (and an open multipart upload) must be before it counts as
         * abandoned: longer than the longest upload takes. Objects of decided uploads go at once.
         */
        @WithDefault("24h")
        Duration grace();
    }
}
