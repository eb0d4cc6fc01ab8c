package io.shoal.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Kafka (KRaft), PostgreSQL and the S3-compatible store on loopback, each under its own directory of
 * one work directory, started together; Shoal's topics and bucket are created before it returns.
 * The local stack ({@code ./shoal up}) and the tests both start exactly this.
 */
public final class BackingServices implements AutoCloseable {

    public static final String BUCKET = "shoal";

    /** The loopback ports the backing services listen on. */
    public record Endpoints(int kafka, int kafkaController, int postgres, int s3) {

        /** What {@code ./shoal up} uses: clear of the services' own ports (8080-8083, 6881, 6969). */
        public static Endpoints defaults() {
            return new Endpoints(19092, 19093, 15432, 19000);
        }

        public static Endpoints free() {
            return new Endpoints(Ports.free(), Ports.free(), Ports.free(), Ports.free());
        }
    }

    /** Local-only secrets; the launcher keeps them in the work directory so they survive restarts. */
    public record Credentials(String s3AccessKey, String s3SecretKey, String postgresPassword) {
    }

    /** Whether what is written must survive a crash of the machine (the local stack) or not (a test). */
    public enum Durability {
        DURABLE, THROWAWAY
    }

    private final KafkaBroker kafka;
    private final PostgresServer postgres;
    private final S3Store s3;

    private BackingServices(KafkaBroker kafka, PostgresServer postgres, S3Store s3) {
        this.kafka = kafka;
        this.postgres = postgres;
        this.s3 = s3;
    }

    /**
     * @param home       the work directory; kafka/, postgres/, s3/ and logs/ go below it
     * @param javaMarker a JVM option put on the command line of every child JVM, so that a later
     *                   {@code ./shoal down} can tell the processes this stack started from others
     */
    public static BackingServices start(Path home, Endpoints ports, Credentials credentials,
                                        Durability durability, RepoLayout layout, String javaMarker)
            throws IOException {
        Path logs = home.resolve("logs");
        Files.createDirectories(logs);
        try (ExecutorService starter = Executors.newFixedThreadPool(3)) {
            var kafka = CompletableFuture.supplyAsync(() -> unchecked(() ->
                    KafkaBroker.start(home.resolve("kafka"), ports.kafka(), ports.kafkaController())), starter);
            var postgres = CompletableFuture.supplyAsync(() -> unchecked(() ->
                    PostgresServer.start(home.resolve("postgres"), ports.postgres(),
                            credentials.postgresPassword(), logs.resolve("postgres.log"),
                            durability == Durability.DURABLE)), starter);
            var s3 = CompletableFuture.supplyAsync(() -> unchecked(() ->
                    S3Store.start(home.resolve("s3"), ports.s3(), credentials.s3AccessKey(),
                            credentials.s3SecretKey(), layout.s3proxyJar(), logs.resolve("s3proxy.log"),
                            javaMarker)), starter);
            try {
                CompletableFuture.allOf(kafka, postgres, s3).join();
            } catch (CompletionException e) {
                closeStarted(kafka, postgres, s3);
                throw asIOException(e.getCause());
            }
            BackingServices services = new BackingServices(kafka.join(), postgres.join(), s3.join());
            try {
                services.kafka.createTopics();
                services.s3.createBucket(BUCKET);
            } catch (IOException | RuntimeException e) {
                services.close();
                throw e;
            }
            return services;
        }
    }

    private static void closeStarted(CompletableFuture<?>... started) {
        for (CompletableFuture<?> future : started) {
            if (future.isDone() && !future.isCompletedExceptionally()) {
                try {
                    ((AutoCloseable) future.join()).close();
                } catch (Exception ignored) {
                    // already failing; the first cause is the one reported
                }
            }
        }
    }

    private interface IoSupplier<T> {
        T get() throws IOException;
    }

    private static <T> T unchecked(IoSupplier<T> supplier) {
        try {
            return supplier.get();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static IOException asIOException(Throwable cause) {
        if (cause instanceof UncheckedIOException u) {
            return u.getCause();
        }
        return cause instanceof IOException io ? io : new IOException(cause.getMessage(), cause);
    }

    public KafkaBroker kafka() {
        return kafka;
    }

    public PostgresServer postgres() {
        return postgres;
    }

    public S3Store s3() {
        return s3;
    }

    /** The configuration a Shoal service needs to reach these backing services, as Quarkus property names. */
    public Map<String, String> serviceConfig() {
        return serviceConfig(kafka, postgres, s3);
    }

    /** What {@link #serviceConfig()} says for these three, wherever they were started. */
    static Map<String, String> serviceConfig(KafkaBroker kafka, PostgresServer postgres, S3Store s3) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("kafka.bootstrap.servers", kafka.bootstrapServers());
        config.put("quarkus.datasource.jdbc.url", postgres.jdbcUrl());
        config.put("quarkus.datasource.username", postgres.username());
        config.put("quarkus.datasource.password", postgres.password());
        config.put("shoal.object-store.endpoint", s3.endpoint());
        config.put("shoal.object-store.access-key", s3.accessKey());
        config.put("shoal.object-store.secret-key", s3.secretKey());
        config.put("shoal.object-store.bucket", BUCKET);
        return config;
    }

    /** Processes outside this JVM that the backing services run (Kafka runs inside it). */
    public List<Long> childPids() {
        List<Long> pids = new ArrayList<>();
        pids.add(s3.pid());
        postgres.pid().ifPresent(pids::add);
        return pids;
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        for (AutoCloseable service : List.<AutoCloseable>of(s3, postgres, kafka)) {
            try {
                service.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("stopping the backing services failed", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
