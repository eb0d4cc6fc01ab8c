package io.shoal.gateway.api;

import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import io.shoal.bittorrent.PercentEncoding;
import io.shoal.events.CatalogEntry;
import io.shoal.gateway.GatewayConfig;
import io.shoal.gateway.catalog.MetadataClient;
import io.shoal.gateway.upload.ArtifactIngest;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.util.List;

/** Artifact reads (open to everyone) and retirement (needs the token). Uploads are {@code UploadRoutes}. */
@Path("/api/v1/artifacts")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class ArtifactResource {

    static final String BITTORRENT = "application/x-bittorrent";
    private static final int MAX_TORRENT_BYTES = 64 * 1024 * 1024;

    private final MetadataClient metadata;
    private final MinioClient store;
    private final GatewayConfig config;
    private final ApiToken token;

    ArtifactResource(MetadataClient metadata, MinioClient store, GatewayConfig config, ApiToken token) {
        this.metadata = metadata;
        this.store = store;
        this.config = config;
        this.token = token;
    }

    @GET
    public List<ArtifactView> list(@QueryParam("q") @DefaultValue("") String query,
                                   @QueryParam("limit") @DefaultValue("100") int limit) throws ApiException {
        return metadata.search(query, limit).stream().map(e -> ArtifactView.of(e, config.publicUrl())).toList();
    }

    @GET
    @Path("/{name}")
    public ArtifactView artifact(@PathParam("name") String name) throws ApiException {
        return ArtifactView.of(find(name), config.publicUrl());
    }

    @GET
    @Path("/{name}/torrent")
    @Produces(BITTORRENT)
    public Response torrent(@PathParam("name") String name) throws ApiException {
        CatalogEntry entry = find(name);
        byte[] torrent;
        try (InputStream in = store.getObject(GetObjectArgs.builder().bucket(entry.bucket()).object(entry.torrentKey()).build())) {
            torrent = in.readNBytes(MAX_TORRENT_BYTES);
        } catch (Exception e) {
            throw ApiException.unavailable("the object store failed: " + e.getMessage(), e);
        }
        String file = entry.name() + ".torrent";
        return Response.ok(torrent, BITTORRENT)
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + asciiFallback(file)
                        + "\"; filename*=UTF-8''" + PercentEncoding.encode(file))
                .build();
    }

    @GET
    @Path("/{name}/magnet")
    @Produces(MediaType.TEXT_PLAIN)
    public String magnet(@PathParam("name") String name) throws ApiException {
        return ArtifactView.of(find(name), config.publicUrl()).magnet();
    }

    @DELETE
    @Path("/{name}")
    public Response retire(@PathParam("name") String name, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization)
            throws ApiException {
        token.check(authorization);
        ArtifactIngest.checkName(name);
        if (!metadata.retire(name)) {
            throw new ApiException(404, "no artifact named '" + name + "'");
        }
        return Response.noContent().build();
    }

    private CatalogEntry find(String name) throws ApiException {
        ArtifactIngest.checkName(name);
        return metadata.artifact(name).orElseThrow(() -> new ApiException(404, "no artifact named '" + name + "'"));
    }

    /** A quoted-string filename for clients that ignore {@code filename*}: ASCII, no quotes or backslashes. */
    private static String asciiFallback(String file) {
        return file.replaceAll("[^\\x20-\\x7e]|[\"\\\\]", "_");
    }
}
