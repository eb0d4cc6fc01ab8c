package io.shoal.gateway.upload;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.streams.ReadStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A request body (or one part of a multipart body) as a blocking {@link InputStream}, with backpressure:
 * once {@value #HIGH_WATER} bytes wait unread the connection is paused, and it resumes when the reader
 * has drained them below {@value #LOW_WATER}. Pause and resume happen on the connection's event loop.
 * A client that disconnects, or sends nothing for the idle timeout, makes {@link #read} throw.
 */
public final class BodyStream extends InputStream {

    static final int HIGH_WATER = 4 * 1024 * 1024;
    static final int LOW_WATER = 1024 * 1024;
    private static final Object END = new Object();

    private final ReadStream<Buffer> source;
    private final Context context;
    private final Duration idleTimeout;
    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final AtomicLong queued = new AtomicLong();
    private volatile boolean paused; // written on the event loop only
    private Buffer current;
    private int position;
    private boolean ended;

    /** Must be called on {@code source}'s event loop, before any of its data is delivered. */
    public BodyStream(ReadStream<Buffer> source, Context context, Duration idleTimeout) {
        this.source = source;
        this.context = context;
        this.idleTimeout = idleTimeout;
        source.handler(buffer -> {
            queue.add(buffer);
            if (queued.addAndGet(buffer.length()) >= HIGH_WATER && !paused) {
                paused = true;
                source.pause();
                // The reader may have drained the queue between the count above and the flag: it saw no pause to
                // undo, and with nothing more arriving it would wait out the idle timeout. Look again.
                if (queued.get() <= LOW_WATER) {
                    paused = false;
                    source.resume();
                }
            }
        });
        source.endHandler(v -> queue.add(END));
        source.exceptionHandler(e -> queue.add(e));
    }

    /** The client went away: reading fails from now on (after what already arrived). */
    public void fail(Throwable cause) {
        queue.add(cause);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        while (current == null || position == current.length()) {
            if (ended) {
                return -1;
            }
            Object next;
            try {
                next = queue.poll(idleTimeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ClientAbortException("interrupted while reading the request body");
            }
            if (next == null) {
                throw new ClientAbortException("the client sent nothing for " + idleTimeout.toSeconds() + " s");
            }
            if (next == END) {
                ended = true;
                current = null;
                return -1;
            }
            if (next instanceof Throwable error) {
                throw new ClientAbortException("the client connection failed: " + error.getMessage(), error);
            }
            current = (Buffer) next;
            position = 0;
            if (queued.addAndGet(-current.length()) <= LOW_WATER && paused) {
                context.runOnContext(v -> {
                    if (paused && queued.get() <= LOW_WATER) {
                        paused = false;
                        source.resume();
                    }
                });
            }
        }
        int n = Math.min(length, current.length() - position);
        current.getBytes(position, position + n, bytes, offset);
        position += n;
        return n;
    }
}
