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
    public byte[] read(String bucket, String objectKey, long offset, int length) throws IOException {
        try (GetObjectResponse in = client.getObject(GetObjectArgs.builder().bucket(bucket).object(objectKey)
                .offset(offset).length((long) length).build())) {
            byte[] bytes = in.readNBytes(length);
            if (bytes.length != length) {
                throw new IOException(objectKey + " ends " + (length - bytes.length) + " bytes short of "
                        + (offset + length));
            }
            return bytes;
        } catch (MinioException e) {
            throw new IOException("reading " + objectKey + " at " + offset + ": " + e.getMessage(), e);
        }
    }
}
