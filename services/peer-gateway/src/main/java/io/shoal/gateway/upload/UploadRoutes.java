package io.shoal.gateway.upload;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.ShutdownEvent;
import io.shoal.events.CatalogEntry;
import io.shoal.gateway.GatewayConfig;
import io.shoal.gateway.api.ApiError;
import io.shoal.gateway.api.ApiException;
import io.shoal.gateway.api.ApiToken;
import io.shoal.gateway.api.ArtifactResource;
import io.shoal.gateway.api.ArtifactView;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.jboss.logging.Logger;

/**
 * The upload endpoints, on Vert.x routes rather than REST resources: the body is streamed with
 * backpressure as it arrives instead of being buffered whole (Quarkus REST would hold it in memory or
 * on disk first). Headers are checked before the body is accepted: a client sending
 * {@code Expect: 100-continue} (curl does for large files) sends nothing when refused.
 */
@ApplicationScoped
public class UploadRoutes {

    static final String ARTIFACTS = "/api/v1/artifacts";
    private static final Logger LOG = Logger.getLogger(UploadRoutes.class);

    private final GatewayConfig config;
    private final ArtifactIngest ingest;
    private final ApiToken token;
    private final ObjectMapper json;
    private final Semaphore slots;
    private final ExecutorService workers;
    private final UploadMetrics metrics;

    UploadRoutes(GatewayConfig config, ArtifactIngest ingest, ApiToken token, ObjectMapper json, UploadMetrics metrics) {
        this.config = config;
        this.metrics = metrics;
        this.token = token;
        this.ingest = ingest;
        this.json = json;
        this.slots = new Semaphore(config.maxConcurrentUploads());
        AtomicInteger count = new AtomicInteger();
        this.workers = Executors.newCachedThreadPool(r -> {
            Thread thread = new Thread(r, "upload-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    void register(@Observes Router router) {
        router.put(ARTIFACTS + "/:name").order(-10).handler(this::put);
        router.post(ARTIFACTS).order(-10).handler(this::post);
    }

    void stop(@Observes ShutdownEvent event) {
        workers.shutdownNow();
    }

    private void put(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        String name = ctx.pathParam("name");
        long length;
        UploadOptions options;
        try {
            token.check(request.getHeader(HttpHeaders.AUTHORIZATION));
            ArtifactResource.checkName(name);
            options = UploadOptions.parse(query(ctx));
            length = contentLength(request);
        } catch (ApiException e) {
            refuse(ctx, e);
            return;
        }
        accept(ctx, "upload of '" + name + "'", context -> {
            BodyStream body = new BodyStream(request, context, config.bodyIdleTimeout());
            request.response().closeHandler(v -> body.fail(new ClientAbortException("the client closed the connection")));
            return () -> ingest.putSingleFile(name, options, length, body);
        });
    }

    private void post(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        UploadOptions options;
        Optional<String> name;
        try {
            token.check(request.getHeader(HttpHeaders.AUTHORIZATION));
            options = UploadOptions.parse(query(ctx));
            name = Optional.ofNullable(ctx.queryParams().get("name"));
            String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
            if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/form-data")) {
                throw new ApiException(415, "POST takes multipart/form-data (curl -F name=NAME -F file=@PATH ...); "
                        + "for one file, PUT it to /api/v1/artifacts/{name}");
            }
        } catch (ApiException e) {
            refuse(ctx, e);
            return;
        }
        accept(ctx, "multi-file upload", context -> {
            MultipartBody form = new MultipartBody(request, context, config.bodyIdleTimeout());
            request.response().closeHandler(v -> form.fail(new ClientAbortException("the client closed the connection")));
            return () -> ingest.postMultiFile(name, options, form);
        });
    }

    /** An upload whose headers passed, ready to read its body on a worker thread. */
    private interface Upload {
        IngestResult run();
    }

    /**
     * Takes the body of a request whose headers passed: a free slot or 503, the body's reader set up on
     * the event loop ({@code open}), 100-continue, then the upload on a worker thread and its answer.
     */
    private void accept(RoutingContext ctx, String what, java.util.function.Function<Context, Upload> open) {
        if (!slots.tryAcquire()) {
            refuse(ctx, new ApiException(503, config.maxConcurrentUploads() + " uploads are in progress; try again shortly"));
            return;
        }
        Context context = Vertx.currentContext();
        Upload upload = open.apply(context);
        if ("100-continue".equalsIgnoreCase(ctx.request().getHeader(HttpHeaders.EXPECT))) {
            ctx.response().writeContinue();
        }
        workers.execute(() -> {
            try {
                IngestResult result = upload.run();
                boolean bodyMayBeUnread = !(result instanceof IngestResult.Published || result instanceof IngestResult.Unchanged
                        || result instanceof IngestResult.Pending);
                context.runOnContext(v -> {
                    if (bodyMayBeUnread) {
                        discardUnread(ctx);
                    }
                    answer(ctx, result);
                });
            } catch (RuntimeException e) {
                String reference = UUID.randomUUID().toString();
                LOG.errorf(e, "%s failed (reference %s)", what, reference);
                context.runOnContext(v -> {
                    discardUnread(ctx);
                    refuse(ctx, new ApiException(500, "internal error; reference " + reference));
                });
            } finally {
                slots.release();
            }
        });
    }

    /**
     * An upload that failed midway leaves its body unread, the connection paused once the buffer filled. A
     * client sends its whole body before it reads an answer (REST Assured, curl), so it would wait forever:
     * the rest is read into nothing, the client gets to our answer, and the connection closes after it. On the
     * connection's event loop, where whether the request has ended cannot change between the look and the act.
     */
    private static void discardUnread(RoutingContext ctx) {
        HttpServerRequest request = ctx.request();
        if (!request.isEnded()) {
            request.handler(ignored -> { });
            request.resume();
        }
    }

    /** The one place an upload's result becomes an HTTP answer. */
    private void answer(RoutingContext ctx, IngestResult result) {
        switch (result) {
            case IngestResult.Published published -> answer(ctx, 201, published.artifact(), published.serverTiming());
            case IngestResult.Unchanged unchanged -> answer(ctx, 200, unchanged.artifact(), null);
            case IngestResult.Pending pending -> {
                metrics.answered(202);
                String location = ArtifactView.artifactUrl(config.publicUrl(), pending.name());
                write(ctx.response().setStatusCode(202).putHeader(HttpHeaders.LOCATION, location), Map.of("name", pending.name(),
                        "status", "stored; the torrent will be published shortly", "artifactUrl", location));
            }
            case IngestResult.Refused refused -> refuse(ctx, new ApiException(switch (refused.reason()) {
                case INVALID -> 400;
                case TOO_LARGE -> 413;
                case NAME_TAKEN -> 409;
                case UNPROCESSABLE -> 422;
            }, refused.detail()));
            case IngestResult.Failed failed -> refuse(ctx, new ApiException(503, failed.detail()));
            case IngestResult.Abandoned abandoned -> refuse(ctx, new ApiException(400, abandoned.detail()));
        }
    }

    private void answer(RoutingContext ctx, int status, CatalogEntry artifact, String serverTiming) {
        metrics.answered(status);
        HttpServerResponse response = ctx.response();
        if (response.closed() || response.ended()) {
            return;
        }
        if (serverTiming != null) {
            response.putHeader("Server-Timing", serverTiming);
        }
        write(response.setStatusCode(status).putHeader(HttpHeaders.LOCATION, ArtifactView.artifactUrl(config.publicUrl(),
                artifact.name())), ArtifactView.of(artifact, config.publicUrl()));
    }

    /** Answers an error; a body not read yet is not wanted, so the connection closes after the answer. */
    private void refuse(RoutingContext ctx, ApiException e) {
        metrics.answered(e.status());
        HttpServerResponse response = ctx.response();
        if (response.closed() || response.ended()) {
            return;
        }
        response.setStatusCode(e.status());
        if (e.status() == 401) {
            response.putHeader("WWW-Authenticate", "Bearer");
        }
        if (!ctx.request().isEnded()) {
            response.putHeader(HttpHeaders.CONNECTION, "close");
        }
        write(response, ApiError.of(e.status(), e.getMessage()));
    }

    private void write(HttpServerResponse response, Object body) {
        try {
            byte[] bytes = json.writeValueAsBytes(body);
            response.putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(io.vertx.core.buffer.Buffer.buffer(bytes));
        } catch (Exception e) {
            LOG.errorf(e, "could not answer");
            response.setStatusCode(500).end();
        }
    }

    private long contentLength(HttpServerRequest request) throws ApiException {
        String header = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (header == null) {
            throw new ApiException(411, "uploads need a Content-Length (curl -T sends one); chunked bodies are not accepted");
        }
        long length;
        try {
            length = Long.parseLong(header.strip());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("Content-Length '" + header + "' is not a number");
        }
        if (length == 0) {
            throw ApiException.badRequest("the body is empty; upload a file with curl -T FILE URL");
        }
        if (length < 0) {
            throw ApiException.badRequest("Content-Length " + length + " is negative");
        }
        if (length > config.maxUploadBytes()) {
            throw new ApiException(413, "Content-Length " + length + " (expected: <= " + config.maxUploadBytes() + ")");
        }
        return length;
    }

    private static Map<String, List<String>> query(RoutingContext ctx) {
        Map<String, List<String>> query = new LinkedHashMap<>();
        ctx.queryParams().forEach(entry -> query.computeIfAbsent(entry.getKey(), k -> new java.util.ArrayList<>()).add(entry.getValue()));
        return query;
    }
}
