package io.shoal.infra;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Real Kafka, PostgreSQL and S3 store for a {@code @QuarkusTest}, on free loopback ports in a fresh
 * directory that is deleted afterwards. Use with {@code @WithTestResource(BackingServicesTestResource.class)}.
 */
public class BackingServicesTestResource implements QuarkusTestResourceLifecycleManager {

    private Path home;
    private BackingServices services;

    @Override
    public Map<String, String> start() {
        try {
            home = Files.createTempDirectory("shoal-test-");
            services = BackingServices.start(home, BackingServices.Endpoints.free(),
                    new BackingServices.Credentials(StackSettings.S3_ACCESS_KEY, "test-secret-key", "test-password"),
                    BackingServices.Durability.THROWAWAY, RepoLayout.find(), "-Dshoal.home=" + home);
            return services.serviceConfig();
        } catch (IOException e) {
            throw new UncheckedIOException("starting the backing services failed", e);
        }
    }

    @Override
    public void stop() {
        try {
            if (services != null) {
                services.close();
            }
        } finally {
            WorkDirectories.deleteRecursively(home);
        }
    }
}
