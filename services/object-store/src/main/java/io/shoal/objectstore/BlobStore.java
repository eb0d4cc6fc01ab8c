package io.shoal.objectstore;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Shoal's bucket in the S3-compatible store: every object-store call any service makes goes through here (no
 * other module talks to the store's SDK). Failures of the store are {@link IOException}s; an object that is not
 * there is an empty {@link Optional}, never an exception. Which object belongs to which upload is decided by
 * {@link ObjectKeys}.
 */
public interface BlobStore {

    /** The bucket every key below lives in. */
    String bucket();

    /** Whether the store answers and the bucket exists (readiness). */
    boolean bucketExists() throws IOException;

    /** Stores a small object in one PUT. */
    void put(String key, byte[] bytes, String contentType) throws IOException;

    /**
     * Streams a large object in parts ({@link ObjectUpload}): nothing is visible under the key until it is
     * completed, and an aborted one leaves nothing.
     */
    ObjectUpload upload(String key, int partSize, int partsInFlight);

    /** The whole object, if it holds at most {@code maxBytes}; a larger one is {@link TooLargeException}. */
    Optional<byte[]> read(String key, int maxBytes) throws IOException, TooLargeException;

    /** The object as a stream, for objects too large to hold. The caller closes it. */
    Optional<InputStream> open(String key) throws IOException;

    /**
     * {@code length} bytes from {@code offset} as a stream (one ranged GET), for ranges too large to hold; empty if
     * there is no such object. The caller closes it; a stream that ends early means the object is shorter.
     */
    Optional<InputStream> open(String key, long offset, long length) throws IOException;

    /** Exactly {@code length} bytes from {@code offset} into {@code into} at {@code at} (one ranged GET); fewer is an error. */
    void readRange(String key, long offset, byte[] into, int at, int length) throws IOException;

    /**
     * Exactly {@code into.remaining()} bytes from {@code offset} into {@code into} (a direct buffer too), copied
     * in as they arrive, one ranged GET; fewer is an error.
     */
    void readRange(String key, long offset, ByteBuffer into) throws IOException;

    /** The object's size, if it is there. */
    Optional<Long> size(String key) throws IOException;

    /** Removes the object; removing one that is not there is no error. */
    void remove(String key) throws IOException;

    /** An object, as a listing shows it. */
    record Blob(String key, long size, Instant lastModified) {
    }

    /** Every object whose key starts with {@code prefix}, handed to {@code each} as the listing pages arrive. */
    void list(String prefix, Consumer<Blob> each) throws IOException;

    /** A multipart upload that was started and neither completed nor aborted. */
    record PendingUpload(String key, String uploadId, Instant initiated) {
    }

    /** Multipart uploads under {@code prefix} that are still open (a crashed writer leaves them behind). */
    List<PendingUpload> pendingUploads(String prefix) throws IOException;

    void abortUpload(PendingUpload upload) throws IOException;

    /** An object larger than its reader allows. */
    final class TooLargeException extends Exception {
        public TooLargeException(String key, int maxBytes) {
            super(key + " holds more than " + maxBytes + " bytes (expected: <= " + maxBytes + ")");
        }
    }
}
