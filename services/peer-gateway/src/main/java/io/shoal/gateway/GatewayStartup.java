package io.shoal.gateway;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/** Refuses to serve with a guessable upload token, and says where the gateway is. */
class GatewayStartup {

    static final int MIN_TOKEN_LENGTH = 16;
    private static final Logger LOG = Logger.getLogger(GatewayStartup.class);

    void onStart(@Observes StartupEvent event, GatewayConfig config) {
        if (config.apiToken().strip().length() < MIN_TOKEN_LENGTH) {
            throw new IllegalStateException("shoal.gateway.api-token (SHOAL_GATEWAY_API_TOKEN) must be at least "
                    + MIN_TOKEN_LENGTH + " characters");
        }
        LOG.infof("peer-gateway serving at %s (uploads under %s/api/v1/artifacts)", config.publicUrl(), config.publicUrl());
    }
}
