package io.shoal.objectstore;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only while the store answers and Shoal's bucket exists: without it no piece can be stored or served. */
@Readiness
@ApplicationScoped
public class ObjectStoreReadinessCheck implements HealthCheck {

    static final String NAME = "object-store";

    private final BlobStore store;
    private final ObjectStoreConfig config;

    public ObjectStoreReadinessCheck(BlobStore store, ObjectStoreConfig config) {
        this.store = store;
        this.config = config;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named(NAME)
                .withData("endpoint", config.endpoint())
                .withData("bucket", config.bucket());
        try {
            boolean exists = store.bucketExists();
            return exists
                    ? response.up().build()
                    : response.down().withData("reason", "bucket does not exist").build();
        } catch (Exception e) {
            return response.down().withData("reason", describe(e)).build();
        }
    }

    /** The innermost cause is what an operator can act on ("Connection refused"), not the SDK's wrapper. */
    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
