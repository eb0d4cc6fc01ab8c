package io.shoal.metadata.api;

import io.shoal.events.TorrentPublishedEvent;
import io.shoal.metadata.fleet.FleetLedger;
import io.shoal.metadata.fleet.Preheats;
import io.shoal.metadata.service.CatalogService;
import java.time.Instant;
import io.shoal.metadata.service.RetirementService;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The catalog for the gateway: reads, the fate of an upload, and retiring an artifact (uploads arrive as events).
 * Internal: it answers only requests carrying the service credential ({@link InternalApiToken}), on a port
 * NetworkPolicies open to the gateway alone.
 */
@Path("/internal/v1")
@Produces(MediaType.APPLICATION_JSON)
public class CatalogResource {

    private static final Pattern HEX_HASH = Pattern.compile("[0-9a-fA-F]{40}|[0-9a-fA-F]{64}");
    static final int MAX_RESULTS = 1000;
    static final int MAX_QUERY_LENGTH = 255;

    private final CatalogService catalog;
    private final RetirementService retirement;
    private final FleetLedger fleet;
    private final Preheats preheats;

    CatalogResource(CatalogService catalog, RetirementService retirement, FleetLedger fleet, Preheats preheats) {
        this.fleet = fleet;
        this.preheats = preheats;
        this.catalog = catalog;
        this.retirement = retirement;
    }

    @GET
    @Path("/artifacts")
    public Response search(@QueryParam("q") @DefaultValue("") String query, @QueryParam("limit") @DefaultValue("100") int limit) {
        if (query.length() > MAX_QUERY_LENGTH) {
            return ApiError.response(Response.Status.BAD_REQUEST,
                    "q of " + query.length() + " characters (expected: <= " + MAX_QUERY_LENGTH + ")");
        }
        if (limit < 1 || limit > MAX_RESULTS) {
            return ApiError.response(Response.Status.BAD_REQUEST, "limit " + limit + " (expected: 1 to " + MAX_RESULTS + ")");
        }
        return Response.ok(catalog.search(query, limit)).build();
    }

    @GET
    @Path("/artifacts/{name}")
    public Response artifact(@PathParam("name") String name) {
        return found(catalog.published(name), "no artifact named '" + name + "'");
    }

    /** The rollout view (the fleet ledger); {@code hosts=true} lists each host. */
    @GET
    @Path("/artifacts/{name}/rollout")
    public Response rollout(@PathParam("name") String name, @QueryParam("hosts") @DefaultValue("false") boolean hosts) {
        return found(catalog.published(name).map(entry -> fleet.rollout(entry.name(),
                        TorrentPublishedEvent.swarmKey(entry.infoHash(), entry.infoHashV2()), entry.size(), hosts, Instant.now())),
                "no artifact named '" + name + "'");
    }

    /**
     * Asks the seeder-worker seeding the artifact to read its pieces into its cache: 202 once the request is recorded
     * (it reaches the worker through Kafka, now or, if Kafka is away, when it is back), with the preheat's state.
     */
    @POST
    @Path("/artifacts/{name}/preheat")
    public Response preheat(@PathParam("name") String name) {
        return catalog.published(name)
                .map(entry -> Response.accepted(preheats.request(TorrentPublishedEvent.swarmKey(entry.infoHash(), entry.infoHashV2()),
                        entry.name(), Instant.now())).build())
                .orElseGet(() -> ApiError.response(Response.Status.NOT_FOUND, "no artifact named '" + name + "'"));
    }

    @DELETE
    @Path("/artifacts/{name}")
    public Response retire(@PathParam("name") String name) {
        return retirement.retire(name)
                ? Response.noContent().build()
                : ApiError.response(Response.Status.NOT_FOUND, "no artifact named '" + name + "'");
    }

    @GET
    @Path("/torrents/{infoHash}")
    public Response torrent(@PathParam("infoHash") String infoHash) {
        if (!HEX_HASH.matcher(infoHash).matches()) {
            return ApiError.response(Response.Status.BAD_REQUEST, "info-hash '" + infoHash + "' (expected: 40 or 64 hex digits)");
        }
        String hex = infoHash.toLowerCase(Locale.ROOT);
        return found(catalog.byInfoHash(hex), "no torrent " + hex);
    }

    @GET
    @Path("/uploads/{artifactId}")
    public Response upload(@PathParam("artifactId") String artifactId) {
        UUID id;
        try {
            id = UUID.fromString(artifactId);
        } catch (IllegalArgumentException e) {
            return ApiError.response(Response.Status.BAD_REQUEST, "artifact id '" + artifactId + "' (expected: a UUID)");
        }
        return Response.ok(catalog.upload(id)).build();
    }

    private static Response found(Optional<?> value, String missing) {
        return value.<Response>map(v -> Response.ok(v).build())
                .orElseGet(() -> ApiError.response(Response.Status.NOT_FOUND, missing));
    }
}
