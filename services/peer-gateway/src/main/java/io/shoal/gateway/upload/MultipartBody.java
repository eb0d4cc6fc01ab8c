package io.shoal.gateway.upload;

import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A multipart/form-data request as a sequence of {@link FilePart}s for a blocking reader, each streamed
 * with backpressure ({@link BodyStream}); the form's other fields once the request has ended.
 */
final class MultipartBody {

    private static final Object END = new Object();

    private final HttpServerRequest request;
    private final Duration idleTimeout;
    private final LinkedBlockingQueue<Object> parts = new LinkedBlockingQueue<>();
    private volatile BodyStream current;

    /** Must be called on the request's event loop before its body is read. */
    MultipartBody(HttpServerRequest request, Context context, Duration idleTimeout) {
        this.request = request;
        this.idleTimeout = idleTimeout;
        request.setExpectMultipart(true);
        request.uploadHandler(upload -> {
            BodyStream body = new BodyStream(upload, context, idleTimeout);
            current = body;
            parts.add(new FilePart(upload.filename(), body));
        });
        request.endHandler(v -> parts.add(END));
        request.exceptionHandler(this::fail);
    }

    void fail(Throwable cause) {
        BodyStream body = current;
        if (body != null) {
            body.fail(cause);
        }
        parts.add(cause);
    }

    /** The next file, or null when the form has no more. */
    FilePart next() throws ClientAbortException {
        Object next;
        try {
            next = parts.poll(idleTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClientAbortException("interrupted while reading the form");
        }
        if (next == null) {
            throw new ClientAbortException("the client sent nothing for " + idleTimeout.toSeconds() + " s");
        }
        if (next == END) {
            parts.add(END);
            return null;
        }
        if (next instanceof Throwable error) {
            throw new ClientAbortException("the client connection failed: " + error.getMessage(), error);
        }
        return (FilePart) next;
    }

    /** The form's fields (not files); complete once {@link #next()} has returned null. */
    MultiMap attributes() {
        return request.formAttributes();
    }
}
