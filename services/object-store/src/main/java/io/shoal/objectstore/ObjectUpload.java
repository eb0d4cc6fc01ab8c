package io.shoal.objectstore;

import io.minio.AbortMultipartUploadArgs;
import io.minio.CompleteMultipartUploadArgs;
import io.minio.CreateMultipartUploadArgs;
import io.minio.MinioAsyncClient;
import io.minio.PutObjectArgs;
import io.minio.UploadPartArgs;
import io.minio.messages.Part;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.jboss.logging.Logger;

/**
 * Streams one object into the store without holding it: bytes are gathered into parts that are sent
 * (S3 multipart) while the next part fills, with at most {@code partsInFlight} parts sent at once, so
 * memory stays at {@code (partsInFlight + 1) × partSize} whatever the object's size. An object smaller
 * than one part is sent with one plain PUT. Until {@link #complete()} nothing is visible under the key;
 * {@link #abort()} leaves nothing behind. The first buffer starts small and grows to a part as bytes arrive,
 * so a small object (one of many files of an upload) costs little memory whatever the part size.
 */
public final class ObjectUpload implements AutoCloseable {

    /** S3's smallest part (the last part may be smaller). */
    public static final int MIN_PART_SIZE = 5 * 1024 * 1024;
    /** S3's most parts in one upload. */
    public static final int MAX_PARTS = 10_000;
    private static final Logger LOG = Logger.getLogger(ObjectUpload.class);
    private static final long CALL_TIMEOUT_SECONDS = 300;
    private static final int FIRST_BUFFER = 256 * 1024;

    private final MinioAsyncClient client;
    private final String bucket;
    private final String key;
    private final int partSize;
    private final int maxBuffers;
    private final BlockingQueue<byte[]> freeBuffers;
    private int allocated;
    private final List<CompletableFuture<Part>> sent = new ArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private String uploadId;
    private byte[] current;
    private int fill;
    private boolean finished;

    private ObjectUpload(MinioAsyncClient client, String bucket, String key, int partSize, int partsInFlight) {
        if (partSize < MIN_PART_SIZE) {
            throw new IllegalArgumentException("part size: " + partSize + " (expected: >= " + MIN_PART_SIZE + ")");
        }
        if (partsInFlight < 1) {
            throw new IllegalArgumentException("parts in flight: " + partsInFlight + " (expected: >= 1)");
        }
        this.client = client;
        this.bucket = bucket;
        this.key = key;
        this.partSize = partSize;
        this.maxBuffers = partsInFlight + 1;
        this.freeBuffers = new ArrayBlockingQueue<>(maxBuffers);
    }

    static ObjectUpload start(MinioAsyncClient client, String bucket, String key, int partSize, int partsInFlight) {
        return new ObjectUpload(client, bucket, key, partSize, partsInFlight);
    }

    /** The part size for an object of {@code expectedSize} bytes: at least {@code preferred}, and few enough parts for S3. */
    public static int partSizeFor(long expectedSize, int preferred) {
        long needed = (expectedSize + MAX_PARTS - 1) / MAX_PARTS;
        long size = Math.max(Math.max(preferred, MIN_PART_SIZE), needed);
        long mib = 1024 * 1024;
        size = (size + mib - 1) / mib * mib;
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("object of " + expectedSize + " bytes is too large");
        }
        return (int) size;
    }

    public String key() {
        return key;
    }

    public void write(byte[] bytes, int offset, int length) throws IOException {
        checkOpen();
        while (length > 0) {
            if (current == null) {
                current = takeBuffer();
                fill = 0;
            }
            if (fill == current.length) {
                current = java.util.Arrays.copyOf(current, Math.min(partSize, current.length * 2));
            }
            int n = Math.min(length, current.length - fill);
            System.arraycopy(bytes, offset, current, fill, n);
            fill += n;
            offset += n;
            length -= n;
            if (fill == partSize) {
                sendPart();
            }
        }
    }

    /** Sends what is left and makes the object visible under its key. */
    public void complete() throws IOException {
        checkOpen();
        finished = true;
        try {
            if (uploadId == null) {
                int length = current == null ? 0 : fill;
                byte[] data = current == null ? new byte[0] : current;
                await(client.putObject(PutObjectArgs.builder().bucket(bucket).object(key).data(data, length).build()));
                return;
            }
            if (fill > 0) {
                sendPart();
            }
            List<Part> parts = new ArrayList<>();
            for (CompletableFuture<Part> part : sent) {
                parts.add(await(part));
            }
            parts.sort(Comparator.comparingInt(Part::partNumber));
            await(client.completeMultipartUpload(CompleteMultipartUploadArgs.builder().bucket(bucket).object(key)
                    .uploadId(uploadId).parts(parts.toArray(Part[]::new)).build()));
        } catch (IOException | RuntimeException e) {
            abort();
            throw e;
        }
    }

    /** Drops everything sent so far; safe to call more than once and after a failure. */
    public void abort() {
        finished = true;
        String id = uploadId;
        uploadId = null;
        if (id == null) {
            return;
        }
        // Cancelling would not stop a part's request, and a part that lands after the abort stays stored:
        // let the (at most partsInFlight) parts still being sent finish first.
        for (CompletableFuture<Part> part : sent) {
            try {
                part.get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // A part that failed is dropped with the upload.
            }
        }
        try {
            await(client.abortMultipartUpload(AbortMultipartUploadArgs.builder().bucket(bucket).object(key)
                    .uploadId(id).build()));
        } catch (IOException | RuntimeException e) {
            LOG.warnf("could not abort the multipart upload %s of %s: %s; the store's lifecycle rule must remove it",
                    id, key, e.getMessage());
        }
    }

    @Override
    public void close() {
        if (!finished) {
            abort();
        }
    }

    private void sendPart() throws IOException {
        if (uploadId == null) {
            uploadId = await(client.createMultipartUpload(CreateMultipartUploadArgs.builder().bucket(bucket)
                    .object(key).build())).result().uploadId();
        }
        int partNumber = sent.size() + 1;
        if (partNumber > MAX_PARTS) {
            throw new IOException("more than " + MAX_PARTS + " parts of " + partSize + " bytes");
        }
        byte[] buffer = current;
        int length = fill;
        current = null;
        fill = 0;
        CompletableFuture<Part> part;
        try {
            part = client.uploadPart(UploadPartArgs.builder().bucket(bucket).object(key).uploadId(uploadId)
                            .partNumber(partNumber).data(buffer, length).build())
                    .thenApply(response -> response.part());
        } catch (RuntimeException e) {
            throw new IOException("sending part " + partNumber + " of " + key + " failed: " + e.getMessage(), e);
        }
        part.whenComplete((done, error) -> {
            if (error != null) {
                failure.compareAndSet(null, error);
            }
            freeBuffers.offer(buffer);
        });
        sent.add(part);
    }

    private byte[] takeBuffer() throws IOException {
        byte[] buffer = freeBuffers.poll();
        if (buffer != null) {
            return buffer;
        }
        // Buffers are made on demand up to the queue's capacity; after that, wait for a sent part to return one.
        // The very first starts small: most objects of a many-file upload never need a whole part.
        if (allocated < maxBuffers) {
            allocated++;
            return new byte[allocated == 1 && sent.isEmpty() ? Math.min(FIRST_BUFFER, partSize) : partSize];
        }
        try {
            while (true) {
                checkFailure();
                buffer = freeBuffers.poll(100, TimeUnit.MILLISECONDS);
                if (buffer != null) {
                    return buffer;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the store", e);
        }
    }

    private void checkOpen() throws IOException {
        if (finished) {
            throw new IllegalStateException("upload of " + key + " already finished");
        }
        checkFailure();
    }

    private void checkFailure() throws IOException {
        Throwable error = failure.get();
        if (error != null) {
            throw new IOException("sending a part of " + key + " failed: " + ObjectStoreReadinessCheck.describe(error), error);
        }
    }

    private static <T> T await(CompletableFuture<T> future) throws IOException {
        try {
            return future.get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IOException(ObjectStoreReadinessCheck.describe(e.getCause()), e.getCause());
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new IOException("the store did not answer within " + CALL_TIMEOUT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the store", e);
        }
    }
}
