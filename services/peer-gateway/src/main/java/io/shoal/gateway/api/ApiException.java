package io.shoal.gateway.api;

/** A request the gateway answers with an error status and a JSON {@code {"error", "detail"}} body. */
public final class ApiException extends Exception {

    private final int status;

    public ApiException(int status, String detail) {
        super(detail);
        this.status = status;
    }

    public ApiException(int status, String detail, Throwable cause) {
        super(detail, cause);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public static ApiException badRequest(String detail) {
        return new ApiException(400, detail);
    }

    public static ApiException unavailable(String detail, Throwable cause) {
        return new ApiException(503, detail, cause);
    }
}
