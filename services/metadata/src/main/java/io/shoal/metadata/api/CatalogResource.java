package io.shoal.metadata.api;

import io.shoal.events.CatalogEntry;
import io.shoal.events.StoredFile;
import io.shoal.events.UploadStatus;
import io.shoal.metadata.catalog.Catalog;
import io.shoal.metadata.catalog.RejectedUpload;
import io.shoal.metadata.torrent.ArtifactRetirement;
import io.shoal.objectstore.ObjectStoreConfig;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The catalog for the gateway (internal: not exposed outside the cluster). Reads, and retiring an
 * artifact; uploads arrive as events.
 */
@Path("/internal/v1")
@Produces(MediaType.APPLICATION_JSON)
public class CatalogResource {

    private static final Pattern HEX_HASH = Pattern.compile("[0-9a-fA-F]{40}|[0-9a-fA-F]{64}");
    static final int MAX_RESULTS = 1000;
    static final int MAX_QUERY_LENGTH = 255;

    private final Catalog catalog;
    private final ArtifactRetirement retirement;
    private final ObjectStoreConfig storeConfig;

    CatalogResource(Catalog catalog, ArtifactRetirement retirement, ObjectStoreConfig storeConfig) {
        this.catalog = catalog;
        this.retirement = retirement;
        this.storeConfig = storeConfig;
    }

    @GET
    @Path("/artifacts")
    public Response search(@QueryParam("q") @DefaultValue("") String query,
                           @QueryParam("limit") @DefaultValue("100") int limit) {
        if (query.length() > MAX_QUERY_LENGTH) {
            return ApiError.response(Response.Status.BAD_REQUEST,
                    "q of " + query.length() + " characters (expected: <= " + MAX_QUERY_LENGTH + ")");
        }
        if (limit < 1 || limit > MAX_RESULTS) {
            return ApiError.response(Response.Status.BAD_REQUEST, "limit " + limit + " (expected: 1 to " + MAX_RESULTS + ")");
        }
        List<CatalogEntry> entries = catalog.search(query, limit).stream()
                .map(a -> Catalog.entry(a, storeConfig.bucket())).toList();
        return Response.ok(entries).build();
    }

    @GET
    @Path("/artifacts/{name}")
    public Response artifact(@PathParam("name") String name) {
        return found(catalog.published(name).map(a -> Catalog.entry(a, storeConfig.bucket())), "no artifact named '" + name + "'");
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
            return ApiError.response(Response.Status.BAD_REQUEST,
                    "info-hash '" + infoHash + "' (expected: 40 or 64 hex digits)");
        }
        String hex = infoHash.toLowerCase(java.util.Locale.ROOT);
        return found(catalog.byInfoHash(hex).map(a -> Catalog.entry(a, storeConfig.bucket())), "no torrent " + hex);
    }

    @GET
    @Path("/contents/{sha256}")
    public Response content(@PathParam("sha256") String sha256) {
        if (!StoredFile.isSha256Hex(sha256)) {
            return ApiError.response(Response.Status.BAD_REQUEST, "sha256 '" + sha256 + "' (expected: 64 lowercase hex digits)");
        }
        return found(catalog.content(sha256).map(c -> new CatalogEntry.StoredContent(c.sha256, c.size, c.objectKey)),
                "no content " + sha256);
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
        Optional<RejectedUpload> rejected = catalog.rejection(id);
        if (rejected.isPresent()) {
            return Response.ok(new UploadStatus("REJECTED", rejected.get().reason, rejected.get().conflict, null)).build();
        }
        return Response.ok(catalog.artifact(id)
                .map(a -> new UploadStatus("PUBLISHED", null, false, Catalog.entry(a, storeConfig.bucket())))
                .orElse(new UploadStatus("PENDING", null, false, null))).build();
    }

    private static Response found(Optional<?> value, String missing) {
        return value.<Response>map(v -> Response.ok(v).build())
                .orElseGet(() -> ApiError.response(Response.Status.NOT_FOUND, missing));
    }
}
