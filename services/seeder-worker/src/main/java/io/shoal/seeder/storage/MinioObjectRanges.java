package io.shoal.seeder.storage;

import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import io.minio.MinioClient;
import io.minio.errors.MinioException;
import java.io.IOException;

/** {@link ObjectRanges} over the MinIO SDK: one ranged GET ({@code Range: bytes=a-b}) per call. */
public final class MinioObjectRanges implements ObjectRanges {

    private final MinioClient client;

    public MinioObjectRanges(MinioClient client) {
        this.client = client;
    }

    @Override
    public void read(String bucket, String objectKey, long offset, byte[] into, int at, int length) throws IOException {
        try (GetObjectResponse in = client.getObject(GetObjectArgs.builder().bucket(bucket).object(objectKey)
                .offset(offset).length((long) length).build())) {
            int read = in.readNBytes(into, at, length);
            if (read != length) {
                throw new IOException(objectKey + " ends " + (length - read) + " bytes short of " + (offset + length));
            }
        } catch (MinioException e) {
            throw new IOException("reading " + objectKey + " at " + offset + ": " + e.getMessage(), e);
        }
    }
}
