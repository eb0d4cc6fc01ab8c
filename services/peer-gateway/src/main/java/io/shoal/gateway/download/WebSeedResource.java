package io.shoal.gateway.download;

import io.shoal.gateway.api.ApiException;
import io.shoal.gateway.catalog.CatalogUnavailableException;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

/**
 * {@code GET|HEAD /api/v1/web-seed/{name}[/{path}]}: the BEP 19 web seed. Every .torrent lists
 * {@code <public URL>/api/v1/web-seed/} in its url-list; a client appends the torrent's name (the artifact's)
 * and, in a multi-file torrent, the file's path, and asks for the ranges it lacks.
 */
@Path("/api/v1/web-seed/{path: .+}")
@Blocking
public class WebSeedResource {

    private final ArtifactFiles files;

    WebSeedResource(ArtifactFiles files) {
        this.files = files;
    }

    @GET
    public Response get(@PathParam("path") String path, @HeaderParam("Range") String range,
                        @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch, @HeaderParam("If-Range") String ifRange)
            throws ApiException, CatalogUnavailableException {
        return files.webSeed(path, new ArtifactFiles.Request(range, ifNoneMatch, ifRange, true));
    }

    @HEAD
    public Response head(@PathParam("path") String path, @HeaderParam("Range") String range,
                         @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch, @HeaderParam("If-Range") String ifRange)
            throws ApiException, CatalogUnavailableException {
        return files.webSeed(path, new ArtifactFiles.Request(range, ifNoneMatch, ifRange, false));
    }
}
