package io.shoal.objectstore;

import io.minio.MinioAsyncClient;
import io.minio.MinioClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import okhttp3.OkHttpClient;

/** Produces the one {@link MinioClient} a service uses, with bounded timeouts instead of the SDK's minutes. */
@ApplicationScoped
public class ObjectStoreClients {

    public static MinioClient connect(ObjectStoreConfig config) {
        return MinioClient.builder()
                .endpoint(config.endpoint())
                .credentials(config.accessKey(), config.secretKey())
                .region(config.region())
                .httpClient(http(config), true)
                .build();
    }

    /** The asynchronous client: the only one whose multipart calls (create, part, complete, abort) are public. */
    public static MinioAsyncClient connectAsync(ObjectStoreConfig config) {
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

    @Produces
    @ApplicationScoped
    MinioClient minioClient(ObjectStoreConfig config) {
        return connect(config);
    }

    void close(@Disposes MinioClient client) throws Exception {
        client.close();
    }

    /** Singleton: the SDK class cannot be proxied. */
    @Produces
    @Singleton
    MinioAsyncClient minioAsyncClient(ObjectStoreConfig config) {
        return connectAsync(config);
    }

    void close(@Disposes MinioAsyncClient client) throws Exception {
        client.close();
    }
}
