package io.shoal.metadata.api;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.UUID;
import org.jboss.logging.Logger;

/** Clients get a JSON error with a reference to quote; the stack trace goes to the log only. */
@Provider
public class UnexpectedErrorMapper implements ExceptionMapper<Exception> {

    private static final Logger LOG = Logger.getLogger(UnexpectedErrorMapper.class);

    @Override
    public Response toResponse(Exception e) {
        if (e instanceof WebApplicationException web) {
            Response.Status status = Response.Status.fromStatusCode(web.getResponse().getStatus());
            return ApiError.response(status == null ? Response.Status.BAD_REQUEST : status, web.getMessage());
        }
        String reference = UUID.randomUUID().toString();
        LOG.errorf(e, "request failed (reference %s)", reference);
        return ApiError.response(Response.Status.INTERNAL_SERVER_ERROR, "internal error; reference " + reference);
    }
}
