package io.shoal.objectstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shoal.infra.Ports;
import io.shoal.infra.RepoLayout;
import io.shoal.infra.S3Store;
import java.nio.file.Path;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against a real S3-compatible store (s3proxy), through the same client the services get. */
class ObjectStoreReadinessCheckTest {

    @TempDir
    static Path dir;
    private static S3Store store;

    record Config(String endpoint, String bucket, String secretKey) implements ObjectStoreConfig {
        Config(String endpoint, String bucket) {
            this(endpoint, bucket, "readiness-secret");
        }

        public String accessKey() {
            return "shoal";
        }

        public String region() {
            return "us-east-1";
        }

        public Duration connectTimeout() {
            return Duration.ofSeconds(2);
        }

        public Duration ioTimeout() {
            return Duration.ofSeconds(5);
        }
    }

    @BeforeAll
    static void startStore() throws Exception {
        store = S3Store.start(dir, Ports.free(), "shoal", "readiness-secret", RepoLayout.find().s3proxyJar(),
                dir.resolve("s3proxy.log"), "-Dshoal.home=" + dir);
        store.createBucket("shoal");
    }

    @AfterAll
    static void stopStore() {
        store.close();
    }

    private static HealthCheckResponse check(Config config) throws Exception {
        try (MinioBlobStore blobs = new MinioBlobStore(config)) {
            return new ObjectStoreReadinessCheck(blobs, config).call();
        }
    }

    @Test
    void upWhenTheBucketExists() throws Exception {
        HealthCheckResponse response = check(new Config(store.endpoint(), "shoal"));
        assertEquals(HealthCheckResponse.Status.UP, response.getStatus());
        assertEquals("shoal", response.getData().orElseThrow().get("bucket"));
    }

    @Test
    void downWhenTheBucketIsMissing() throws Exception {
        HealthCheckResponse response = check(new Config(store.endpoint(), "no-such-bucket"));
        assertEquals(HealthCheckResponse.Status.DOWN, response.getStatus());
        assertEquals("bucket does not exist", response.getData().orElseThrow().get("reason"));
    }

    @Test
    void downWithTheCauseWhenTheStoreIsUnreachable() throws Exception {
        HealthCheckResponse response = check(new Config("http://127.0.0.1:" + Ports.free(), "shoal"));
        assertEquals(HealthCheckResponse.Status.DOWN, response.getStatus());
        String reason = (String) response.getData().orElseThrow().get("reason");
        assertTrue(reason.startsWith("ConnectException"), reason);
    }

    @Test
    void downWhenTheSecretKeyIsWrong() throws Exception {
        HealthCheckResponse response = check(new Config(store.endpoint(), "shoal", "not-the-secret"));
        assertEquals(HealthCheckResponse.Status.DOWN, response.getStatus());
    }
}
