package io.shoal.objectstore;

import io.minio.AbortMultipartUploadArgs;
import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import io.minio.ListMultipartUploadsArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioAsyncClient;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.messages.Item;
import io.minio.messages.ListMultipartUploadsResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/** {@link BlobStore} over the MinIO Java SDK: the one place Shoal's services touch it. */
public final class MinioBlobStore implements BlobStore, AutoCloseable {

    private static final Set<String> MISSING = Set.of("NoSuchKey", "NotFound", "NoSuchUpload");
    private static final long CALL_TIMEOUT_SECONDS = 60;

    private final MinioClient client;
    private final MinioAsyncClient asyncClient;
    private final String bucket;

    public MinioBlobStore(ObjectStoreConfig config) {
        this.client = ObjectStoreClients.connect(config);
        this.asyncClient = ObjectStoreClients.connectAsync(config);
        this.bucket = config.bucket();
    }

    @Override
    public String bucket() {
        return bucket;
    }

    @Override
    public boolean bucketExists() throws IOException {
        try {
            return client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build());
        } catch (Exception e) {
            throw failure("looking up bucket " + bucket, e);
        }
    }

    @Override
    public void put(String key, byte[] bytes, String contentType) throws IOException {
        try {
            client.putObject(PutObjectArgs.builder().bucket(bucket).object(key).data(bytes, bytes.length)
                    .contentType(contentType).build());
        } catch (Exception e) {
            throw failure("writing " + key, e);
        }
    }

    @Override
    public ObjectUpload upload(String key, int partSize, int partsInFlight) {
        return ObjectUpload.start(asyncClient, bucket, key, partSize, partsInFlight);
    }

    @Override
    public Optional<byte[]> read(String key, int maxBytes) throws IOException, TooLargeException {
        Optional<InputStream> opened = open(key);
        if (opened.isEmpty()) {
            return Optional.empty();
        }
        byte[] bytes;
        try (InputStream in = opened.get()) {
            bytes = in.readNBytes(maxBytes + 1);
        }
        if (bytes.length > maxBytes) {
            throw new TooLargeException(key, maxBytes);
        }
        return Optional.of(bytes);
    }

    @Override
    public Optional<InputStream> open(String key) throws IOException {
        return open(GetObjectArgs.builder().bucket(bucket).object(key).build());
    }

    @Override
    public Optional<InputStream> open(String key, long offset, long length) throws IOException {
        if (offset < 0 || length <= 0) {
            throw new IllegalArgumentException("range " + offset + "+" + length + " of " + key);
        }
        return open(GetObjectArgs.builder().bucket(bucket).object(key).offset(offset).length(length).build());
    }

    private Optional<InputStream> open(GetObjectArgs args) throws IOException {
        try {
            return Optional.of(client.getObject(args));
        } catch (ErrorResponseException e) {
            if (missing(e)) {
                return Optional.empty();
            }
            throw failure("reading " + args.object(), e);
        } catch (Exception e) {
            throw failure("reading " + args.object(), e);
        }
    }

    @Override
    public void readRange(String key, long offset, byte[] into, int at, int length) throws IOException {
        try (GetObjectResponse in = client.getObject(GetObjectArgs.builder().bucket(bucket).object(key)
                .offset(offset).length((long) length).build())) {
            int read = in.readNBytes(into, at, length);
            if (read != length) {
                throw new IOException(key + " ends " + (length - read) + " bytes short of " + (offset + length));
            }
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw failure("reading " + key + " at " + offset, e);
        }
    }

    @Override
    public void readRange(String key, long offset, ByteBuffer into) throws IOException {
        int length = into.remaining();
        try (GetObjectResponse in = client.getObject(GetObjectArgs.builder().bucket(bucket).object(key)
                .offset(offset).length((long) length).build())) {
            byte[] chunk = new byte[Math.min(length, 64 * 1024)];
            while (into.hasRemaining()) {
                int n = in.read(chunk, 0, Math.min(chunk.length, into.remaining()));
                if (n < 0) {
                    throw new IOException(key + " ends " + into.remaining() + " bytes short of " + (offset + length));
                }
                into.put(chunk, 0, n);
            }
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw failure("reading " + key + " at " + offset, e);
        }
    }

    @Override
    public Optional<Long> size(String key) throws IOException {
        try {
            return Optional.of(client.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build()).size());
        } catch (ErrorResponseException e) {
            if (missing(e)) {
                return Optional.empty();
            }
            throw failure("looking up " + key, e);
        } catch (Exception e) {
            throw failure("looking up " + key, e);
        }
    }

    @Override
    public void remove(String key) throws IOException {
        try {
            client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(key).build());
        } catch (ErrorResponseException e) {
            if (!missing(e)) {
                throw failure("removing " + key, e);
            }
        } catch (Exception e) {
            throw failure("removing " + key, e);
        }
    }

    @Override
    public void list(String prefix, Consumer<Blob> each) throws IOException {
        try {
            for (Result<Item> result : client.listObjects(ListObjectsArgs.builder().bucket(bucket).prefix(prefix)
                    .recursive(true).build())) {
                Item item = result.get();
                if (!item.isDir()) {
                    each.accept(new Blob(item.objectName(), item.size(), item.lastModified().toInstant()));
                }
            }
        } catch (Exception e) {
            throw failure("listing " + prefix, e);
        }
    }

    @Override
    public List<PendingUpload> pendingUploads(String prefix) throws IOException {
        List<PendingUpload> pending = new ArrayList<>();
        String keyMarker = null;
        String uploadIdMarker = null;
        try {
            while (true) {
                ListMultipartUploadsResult page = asyncClient.listMultipartUploads(ListMultipartUploadsArgs.builder()
                                .bucket(bucket).prefix(prefix).keyMarker(keyMarker).uploadIdMarker(uploadIdMarker).build())
                        .get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS).result();
                for (ListMultipartUploadsResult.Upload upload : page.uploads()) {
                    pending.add(new PendingUpload(upload.objectName(), upload.uploadId(), upload.initiated().toInstant()));
                }
                if (!page.isTruncated()) {
                    return pending;
                }
                keyMarker = page.nextKeyMarker();
                uploadIdMarker = page.nextUploadIdMarker();
            }
        } catch (ExecutionException e) {
            throw failure("listing the open multipart uploads under " + prefix, e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("the store did not list the open multipart uploads within " + CALL_TIMEOUT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while listing multipart uploads", e);
        }
    }

    @Override
    public void abortUpload(PendingUpload upload) throws IOException {
        try {
            asyncClient.abortMultipartUpload(AbortMultipartUploadArgs.builder().bucket(bucket).object(upload.key())
                    .uploadId(upload.uploadId()).build()).get(CALL_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof ErrorResponseException error && missing(error))) {
                throw failure("aborting the multipart upload of " + upload.key(), e.getCause());
            }
        } catch (TimeoutException e) {
            throw new IOException("the store did not abort " + upload.key() + " within " + CALL_TIMEOUT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while aborting a multipart upload", e);
        }
    }

    private static boolean missing(ErrorResponseException e) {
        return MISSING.contains(e.errorResponse().code());
    }

    private static IOException failure(String what, Throwable e) {
        return e instanceof IOException io ? io : new IOException(what + " failed: " + ObjectStoreReadinessCheck.describe(e), e);
    }

    @Override
    public void close() throws Exception {
        client.close();
        asyncClient.close();
    }
}
