package io.shoal.objectstore;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** Where the S3-compatible store is (MinIO in production, s3proxy locally) and which bucket Shoal owns. */
@ConfigMapping(prefix = "shoal.object-store")
public interface ObjectStoreConfig {

    /** Base URL of the store, e.g. {@code http://minio:9000}. */
    String endpoint();

    String accessKey();

    String secretKey();

    /** The bucket holding artifact blobs and .torrent files. */
    @WithDefault("shoal")
    String bucket();

    /** Fixed so the SDK never has to ask the store for the bucket's location. */
    @WithDefault("us-east-1")
    String region();

    /** How long a new connection may take before the store counts as unreachable. */
    @WithDefault("3s")
    Duration connectTimeout();

    /** How long a read or a write on an open connection may stall. */
    @WithDefault("60s")
    Duration ioTimeout();
}
