package io.shoal.gateway.api;

import io.shoal.bittorrent.PercentEncoding;
import io.shoal.bittorrent.metainfo.FileNames;
import io.shoal.bittorrent.metainfo.Metainfo;
import io.shoal.bittorrent.metainfo.MetainfoException;
import io.shoal.events.CatalogEntry;
import io.shoal.events.Rollout;
import io.shoal.gateway.GatewayConfig;
import io.shoal.gateway.catalog.CatalogUnavailableException;
import io.shoal.gateway.catalog.MetadataClient;
import io.shoal.gateway.catalog.SeederBoard;
import io.shoal.gateway.catalog.TrackerScrape;
import io.shoal.objectstore.BlobStore;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.util.List;

/** Artifact reads (open to everyone) and retirement (needs the token). Uploads are {@code UploadRoutes}. */
@Path("/api/v1/artifacts")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class ArtifactResource {

    static final String BITTORRENT = "application/x-bittorrent";
    public static final int MAX_QUERY_LENGTH = 255;
    static final int MAX_RESULTS = 1000;

    private final MetadataClient metadata;
    private final BlobStore blobs;
    private final GatewayConfig config;
    private final ApiToken token;
    private final TrackerScrape scrape;
    private final SeederBoard board;

    ArtifactResource(MetadataClient metadata, BlobStore blobs, GatewayConfig config, ApiToken token, TrackerScrape scrape,
                     SeederBoard board) {
        this.metadata = metadata;
        this.blobs = blobs;
        this.config = config;
        this.token = token;
        this.scrape = scrape;
        this.board = board;
    }

    /** An artifact name from a URL or a request: one valid path component (400 otherwise). */
    public static void checkName(String name) throws ApiException {
        try {
            FileNames.checkComponent(name);
        } catch (MetainfoException e) {
            throw ApiException.badRequest("artifact name: " + e.getMessage());
        }
    }

    @GET
    public List<ArtifactView> list(@QueryParam("q") @DefaultValue("") String query, @QueryParam("limit") @DefaultValue("100") int limit)
            throws ApiException, CatalogUnavailableException {
        if (query.length() > MAX_QUERY_LENGTH) {
            throw ApiException.badRequest("q of " + query.length() + " characters (expected: <= " + MAX_QUERY_LENGTH + ")");
        }
        if (limit < 1 || limit > MAX_RESULTS) {
            throw ApiException.badRequest("limit " + limit + " (expected: 1 to " + MAX_RESULTS + ")");
        }
        return metadata.search(query, limit).stream().map(e -> ArtifactView.of(e, config.publicUrl())).toList();
    }

    @GET
    @Path("/{name}")
    public ArtifactView artifact(@PathParam("name") String name) throws ApiException, CatalogUnavailableException {
        return ArtifactView.of(find(name), config.publicUrl());
    }

    /** The .torrent, whole: metadata never writes one larger than {@link Metainfo#MAX_TORRENT_BYTES}. */
    @GET
    @Path("/{name}/torrent")
    @Produces(BITTORRENT)
    public Response torrent(@PathParam("name") String name) throws ApiException, CatalogUnavailableException {
        CatalogEntry entry = find(name);
        byte[] torrent;
        try {
            torrent = blobs.read(entry.torrentKey(), Metainfo.MAX_TORRENT_BYTES)
                    .orElseThrow(() -> ApiException.unavailable("the .torrent of '" + name + "' is not in the store", null));
        } catch (IOException e) {
            throw ApiException.unavailable("the object store failed: " + e.getMessage(), e);
        } catch (BlobStore.TooLargeException e) {
            throw ApiException.unavailable("the .torrent of '" + name + "' is larger than Shoal writes; it is not served", e);
        }
        return Response.ok(torrent, BITTORRENT)
                .header(HttpHeaders.CONTENT_DISPOSITION, attachment(entry.name() + ".torrent"))
                .build();
    }

    /** The swarm now: the tracker's scrape, and what the seeder-workers served. */
    @GET
    @Path("/{name}/swarm")
    public SwarmView swarm(@PathParam("name") String name) throws ApiException, CatalogUnavailableException {
        return SwarmView.of(find(name), scrape, board);
    }

    /**
     * How far the artifact's rollout got: hosts completed, in progress and stalled, bytes delivered, what the
     * seeder-workers served and the origin offload, with its history; {@code hosts=true} lists each host.
     */
    @GET
    @Path("/{name}/rollout")
    public Rollout rollout(@PathParam("name") String name, @QueryParam("hosts") @DefaultValue("false") boolean hosts)
            throws ApiException, CatalogUnavailableException {
        checkName(name);
        return metadata.rollout(name, hosts).orElseThrow(() -> new ApiException(404, "no artifact named '" + name + "'"));
    }

    /**
     * Preheat (token): the seeder-worker seeding the artifact reads its pieces into its cache before hosts ask. 202 once
     * metadata recorded the request, with its state; the rollout view ({@code Location}) follows it to {@code done}.
     */
    @POST
    @Path("/{name}/preheat")
    public Response preheat(@PathParam("name") String name, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization)
            throws ApiException, CatalogUnavailableException {
        token.check(authorization);
        checkName(name);
        Rollout.Preheat preheat = metadata.preheat(name).orElseThrow(() -> new ApiException(404, "no artifact named '" + name + "'"));
        return Response.accepted(preheat)
                .location(java.net.URI.create(ArtifactView.artifactUrl(config.publicUrl(), name) + "/rollout"))
                .build();
    }

    @GET
    @Path("/{name}/magnet")
    @Produces(MediaType.TEXT_PLAIN)
    public String magnet(@PathParam("name") String name) throws ApiException, CatalogUnavailableException {
        return ArtifactView.of(find(name), config.publicUrl()).magnet();
    }

    @DELETE
    @Path("/{name}")
    public Response retire(@PathParam("name") String name, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization)
            throws ApiException, CatalogUnavailableException {
        token.check(authorization);
        checkName(name);
        if (!metadata.retire(name)) {
            throw new ApiException(404, "no artifact named '" + name + "'");
        }
        return Response.noContent().build();
    }

    private CatalogEntry find(String name) throws ApiException, CatalogUnavailableException {
        return published(metadata, name);
    }

    /**
     * The published artifact of that name (the name checked first); 404 otherwise. Metadata answers only
     * published ones; an entry in any other state is refused here too.
     */
    public static CatalogEntry published(MetadataClient metadata, String name) throws ApiException, CatalogUnavailableException {
        checkName(name);
        return metadata.artifact(name).filter(e -> "PUBLISHED".equals(e.status()))
                .orElseThrow(() -> new ApiException(404, "no artifact named '" + name + "'"));
    }

    /** {@code Content-Disposition} of a download: the name in UTF-8, and an ASCII stand-in for older clients. */
    public static String attachment(String file) {
        return "attachment; filename=\"" + asciiFallback(file) + "\"; filename*=UTF-8''" + PercentEncoding.encode(file);
    }

    /** A quoted-string filename for clients that ignore {@code filename*}: ASCII, no quotes or backslashes. */
    private static String asciiFallback(String file) {
        return file.replaceAll("[^\\x20-\\x7e]|[\"\\\\]", "_");
    }
}
