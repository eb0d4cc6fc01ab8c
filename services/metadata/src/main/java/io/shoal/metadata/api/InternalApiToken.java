package io.shoal.metadata.api;

import io.shoal.metadata.MetadataConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * The internal API answers the gateway only: every request must carry {@code Authorization: Bearer <token>}, the
 * shared service credential ({@code SHOAL_METADATA_INTERNAL_API_TOKEN} here, {@code SHOAL_GATEWAY_METADATA_TOKEN}
 * at the gateway). Its DELETE removes objects; nothing reachable at the port may use it without the secret.
 */
@ApplicationScoped
public class InternalApiToken {

    private static final String BEARER = "Bearer ";

    private final byte[] token;

    InternalApiToken(MetadataConfig config) {
        this.token = config.internalApiToken().getBytes(StandardCharsets.UTF_8);
    }

    @ServerRequestFilter
    public Optional<Response> check(ContainerRequestContext request) {
        if (!request.getUriInfo().getPath().startsWith("/internal/")) {
            return Optional.empty();
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        boolean valid = header != null && header.startsWith(BEARER)
                && MessageDigest.isEqual(token, header.substring(BEARER.length()).getBytes(StandardCharsets.UTF_8));
        if (valid) {
            return Optional.empty();
        }
        Response refused = ApiError.response(Response.Status.UNAUTHORIZED, header == null
                ? "the internal API needs Authorization: Bearer <the service credential>" : "wrong service credential");
        return Optional.of(Response.fromResponse(refused).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build());
    }
}
