package io.shoal.metadata.api;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The JSON error body every Shoal service answers with: {@code {"error": "...", "detail": "..."}}. */
public record ApiError(String error, String detail) {

    public static Response response(Response.Status status, String detail) {
        return Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ApiError(status.getReasonPhrase(), detail)).build();
    }
}
