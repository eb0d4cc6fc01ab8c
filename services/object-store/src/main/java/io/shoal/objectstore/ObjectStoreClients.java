package io.shoal.objectstore;

import io.minio.MinioClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import okhttp3.OkHttpClient;

/** Produces the one {@link MinioClient} a service uses, with bounded timeouts instead of the SDK's minutes. */
@ApplicationScoped
public class ObjectStoreClients {

    public static MinioClient connect(ObjectStoreConfig config) {
        OkHttpClient http = new OkHttpClient.Builder()
                .connectTimeout(config.connectTimeout())
                .readTimeout(config.ioTimeout())
                .writeTimeout(config.ioTimeout())
                .build();
        return MinioClient.builder()
                .endpoint(config.endpoint())
                .credentials(config.accessKey(), config.secretKey())
                .region(config.region())
                .httpClient(http, true)
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
}
