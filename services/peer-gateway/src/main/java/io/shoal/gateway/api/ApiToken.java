package io.shoal.gateway.api;

import io.shoal.gateway.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** Checks {@code Authorization: Bearer <token>} against the configured API token, in constant time. */
@ApplicationScoped
public class ApiToken {

    private final byte[] expected;

    ApiToken(GatewayConfig config) {
        this.expected = config.apiToken().strip().getBytes(StandardCharsets.UTF_8);
    }

    public void check(String authorization) throws ApiException {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new ApiException(401, "this needs 'Authorization: Bearer <token>' (./shoal up prints the token)");
        }
        byte[] given = authorization.substring(7).strip().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(given, expected)) {
            throw new ApiException(401, "wrong API token");
        }
    }
}
