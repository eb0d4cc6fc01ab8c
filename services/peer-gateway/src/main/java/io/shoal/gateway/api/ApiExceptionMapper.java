package io.shoal.gateway.api;

import io.shoal.gateway.catalog.CatalogUnavailableException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.UUID;
import org.jboss.logging.Logger;

/** Every failure becomes a JSON {@code {"error", "detail"}}; stack traces go to the log, with a reference. */
@Provider
public class ApiExceptionMapper implements ExceptionMapper<Exception> {

    private static final Logger LOG = Logger.getLogger(ApiExceptionMapper.class);

    @Override
    public Response toResponse(Exception e) {
        int status;
        String detail;
        if (e instanceof ApiException api) {
            status = api.status();
            detail = api.getMessage();
        } else if (e instanceof CatalogUnavailableException unavailable) {
            status = 503;
            detail = unavailable.getMessage();
        } else if (e instanceof WebApplicationException web) {
            status = web.getResponse().getStatus();
            detail = web.getMessage();
        } else {
            String reference = UUID.randomUUID().toString();
            LOG.errorf(e, "request failed (reference %s)", reference);
            status = 500;
            detail = "internal error; reference " + reference;
        }
        Response.ResponseBuilder response = Response.status(status).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(ApiError.of(status, detail));
        if (status == 401) {
            response.header("WWW-Authenticate", "Bearer");
        }
        return response.build();
    }
}
