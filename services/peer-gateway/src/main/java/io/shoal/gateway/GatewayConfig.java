package io.shoal.gateway;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Optional;

@ConfigMapping(prefix = "shoal.gateway")
public interface GatewayConfig {

    /** Uploads and deletes need {@code Authorization: Bearer <api-token>}; reads do not. */
    String apiToken();

    /** The URL clients reach this gateway at: .torrent links, magnet links and web seeds are built from it. */
    String publicUrl();

    /** Base URL of the metadata service's internal API, e.g. {@code http://metadata:8081}. */
    String metadataUrl();

    /** The service credential metadata's internal API asks for (metadata's {@code SHOAL_METADATA_INTERNAL_API_TOKEN}). */
    String metadataToken();

    /** Uploads streamed at once; one more is refused with 503 rather than queued. */
    @WithDefault("4")
    int maxConcurrentUploads();

    /**
     * Bytes per multipart part sent to the store. With {@link #partsInFlight()} it bounds an upload's memory:
     * {@code (parts-in-flight + 1) × part-size}, 48 MiB by default, whatever the file's size.
     */
    @WithDefault("16777216")
    int partSize();

    /** Parts sent to the store while the next one fills. */
    @WithDefault("2")
    int partsInFlight();

    /** The largest upload accepted (413 beyond). */
    @WithDefault("1099511627776")
    long maxUploadBytes();

    /** A client that sends nothing for this long loses its upload. */
    @WithDefault("60s")
    Duration bodyIdleTimeout();

    /** How long an upload waits for its torrent to be published before answering 202 (stored, not yet published). */
    @WithDefault("30s")
    Duration publishTimeout();

    /** How long Kafka may take to acknowledge an upload event before the upload fails with 503. */
    @WithDefault("15s")
    Duration eventAckTimeout();

    /**
     * The tracker the dashboard scrapes for a swarm's seeders, leechers and completed downloads, e.g.
     * {@code http://tracker:6969} (its {@code /scrape} is asked). Without it, the scrape URL of the .torrent's first
     * HTTP tracker (BEP 48: {@code announce} replaced by {@code scrape}), as a client would.
     */
    Optional<String> trackerUrl();

    WebSeed webSeed();

    /** The BEP 19 web seed ({@code /api/v1/web-seed/}), the fallback for pieces no peer has. */
    interface WebSeed {
        /**
         * While a seeder-worker says it seeds a torrent, web-seed requests for it are answered 503 with
         * {@code Retry-After}, so clients take the bytes from the swarm and the store is read once per worker, not
         * once per host; the web seed serves when no worker has said so for {@link #seederTtl()}.
         */
        @WithDefault("true")
        boolean yieldToSeeders();

        /** How long a seeder-worker's word (shoal.seeder.stats, every 10 s) that it seeds a torrent counts. */
        @WithDefault("30s")
        Duration seederTtl();
    }
}
