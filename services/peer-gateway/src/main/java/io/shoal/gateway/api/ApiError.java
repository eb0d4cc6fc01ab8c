package io.shoal.gateway.api;

import io.netty.handler.codec.http.HttpResponseStatus;

/** The JSON error body: {@code {"error": "Conflict", "detail": "what happened and what to do"}}. */
public record ApiError(String error, String detail) {

    public static ApiError of(int status, String detail) {
        return new ApiError(HttpResponseStatus.valueOf(status).reasonPhrase(), detail);
    }
}
