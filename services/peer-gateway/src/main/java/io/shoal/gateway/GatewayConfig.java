package io.shoal.gateway;

import io.smallrye.config.ConfigMapping;

@ConfigMapping(prefix = "shoal.gateway")
public interface GatewayConfig {

    /** Uploads and deletes need {@code Authorization: Bearer <api-token>}; reads do not. */
    String apiToken();

    /** The URL clients reach this gateway at: .torrent links, magnet links and web seeds are built from it. */
    String publicUrl();
}
