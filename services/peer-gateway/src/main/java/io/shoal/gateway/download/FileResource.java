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
 * {@code GET|HEAD /api/v1/artifacts/{name}/files/{path}}: a file of an artifact over HTTP, {@code path} as the
 * artifact lists it ({@code files[].path}; the name itself for a one-file artifact).
 */
@Path("/api/v1/artifacts/{name}/files/{path: .+}")
@Blocking
public class FileResource {

    private final ArtifactFiles files;

    FileResource(ArtifactFiles files) {
        this.files = files;
    }

    @GET
    public Response get(@PathParam("name") String name, @PathParam("path") String path, @HeaderParam("Range") String range,
                        @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch, @HeaderParam("If-Range") String ifRange)
            throws ApiException, CatalogUnavailableException {
        return files.file(name, path, new ArtifactFiles.Request(range, ifNoneMatch, ifRange, true));
    }

    @HEAD
    public Response head(@PathParam("name") String name, @PathParam("path") String path, @HeaderParam("Range") String range,
                         @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch, @HeaderParam("If-Range") String ifRange)
            throws ApiException, CatalogUnavailableException {
        return files.file(name, path, new ArtifactFiles.Request(range, ifNoneMatch, ifRange, false));
    }
}
