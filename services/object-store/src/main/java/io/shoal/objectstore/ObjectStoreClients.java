package io.shoal.objectstore;

import io.minio.MinioAsyncClient;
import io.minio.MinioClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import okhttp3.OkHttpClient;

/** Produces the service's {@link BlobStore}: the MinIO SDK's clients with bounded timeouts instead of the SDK's minutes. */
@ApplicationScoped
public class ObjectStoreClients {

    static MinioClient connect(ObjectStoreConfig config) {
        return MinioClient.builder()
                .endpoint(config.endpoint())
                .credentials(config.accessKey(), config.secretKey())
                .region(config.region())
                .httpClient(http(config), true)
                .build();
    }

    /** The asynchronous client: the only one whose multipart calls (create, part, complete, abort, list) are public. */
    static MinioAsyncClient connectAsync(ObjectStoreConfig config) {
        return MinioAsyncClient.builder()
                .endpoint(config.endpoint())
                .credentials(config.accessKey(), config.secretKey())
                .region(config.region())
                .httpClient(http(config), true)
                .build();
    }

    private static OkHttpClient http(ObjectStoreConfig config) {
        return new OkHttpClient.Builder()
                .connectTimeout(config.connectTimeout())
                .readTimeout(config.ioTimeout())
                .writeTimeout(config.ioTimeout())
                .build();
    }

    /** Application-scoped so that a resource test can put a mock in its place ({@code @InjectMock}). */
    @Produces
    @ApplicationScoped
    BlobStore blobStore(ObjectStoreConfig config) {
        return new MinioBlobStore(config);
    }

    void close(@Disposes BlobStore store) throws Exception {
        ((MinioBlobStore) store).close();
    }
}
