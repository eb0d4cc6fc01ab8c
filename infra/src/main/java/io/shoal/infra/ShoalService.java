package io.shoal.infra;

import java.time.Duration;
import java.util.List;

/**
 * The four Shoal services, their modules, their default HTTP ports (DESIGN.md, a contract) and the
 * configuration every deployment of them must set: the local stack, docker-compose.yml and the
 * Kubernetes manifests are each checked against {@link #requiredConfig()}.
 */
public enum ShoalService {
    PEER_GATEWAY("peer-gateway", 8080, 8080, "512m", List.of("kafka.bootstrap.servers",
            "shoal.object-store.endpoint", "shoal.object-store.access-key", "shoal.object-store.secret-key",
            "shoal.object-store.bucket", "shoal.gateway.api-token", "shoal.gateway.public-url",
            "shoal.gateway.metadata-url", "shoal.gateway.metadata-token")),
    METADATA("metadata", 8081, 9081, "384m", List.of("kafka.bootstrap.servers",
            "shoal.object-store.endpoint", "shoal.object-store.access-key", "shoal.object-store.secret-key",
            "shoal.object-store.bucket", "quarkus.datasource.jdbc.url", "quarkus.datasource.username",
            "quarkus.datasource.password", "shoal.metadata.announce-urls", "shoal.metadata.web-seed-urls",
            "shoal.metadata.internal-api-token")),
    TRACKER("tracker", 6969, 6969, "384m", List.of("kafka.bootstrap.servers", "shoal.tracker.announce-url", "shoal.tracker.trusted-cidrs")),
    SEEDER_WORKER("seeder-worker", 8083, 8083, "512m", List.of("kafka.bootstrap.servers",
            "shoal.object-store.endpoint", "shoal.object-store.access-key", "shoal.object-store.secret-key",
            "shoal.object-store.bucket", "shoal.seeder.peer-port", "shoal.seeder.advertised-host"));

    private final String module;
    private final int defaultHttpPort;
    private final int defaultManagementPort;
    private final String maxHeap;
    private final List<String> requiredConfig;

    ShoalService(String module, int defaultHttpPort, int defaultManagementPort, String maxHeap, List<String> requiredConfig) {
        this.module = module;
        this.defaultHttpPort = defaultHttpPort;
        this.defaultManagementPort = defaultManagementPort;
        this.maxHeap = maxHeap;
        this.requiredConfig = requiredConfig;
    }

    /** Quarkus property names a deployment must set (their environment form: {@link #environmentName}). */
    public List<String> requiredConfig() {
        return requiredConfig;
    }

    /** Quarkus's mapping of a property name to an environment variable: {@code a.b-c} is {@code A_B_C}. */
    public static String environmentName(String property) {
        return property.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(java.util.Locale.ROOT);
    }

    /** The directory under services/, also the name in logs and in the state file. */
    public String module() {
        return module;
    }

    public int defaultHttpPort() {
        return defaultHttpPort;
    }

    /**
     * Where health, readiness and metrics ({@code /q/...}) answer. Metadata serves them on a port of their own
     * (Quarkus' management interface), so its internal API's port can stay closed to everyone but the
     * gateway while monitoring scrapes the other; the other services answer them on their HTTP port.
     */
    public int defaultManagementPort() {
        return defaultManagementPort;
    }

    public boolean separateManagementPort() {
        return defaultManagementPort != defaultHttpPort;
    }

    /**
     * Whether hosts outside the stack reach this service's HTTP port (the gateway's REST edge, the tracker's
     * announces): it listens on the stack's public address; the others listen on loopback only.
     */
    public boolean publicHttp() {
        return this == PEER_GATEWAY || this == TRACKER;
    }

    /**
     * How long a stop waits after SIGTERM before SIGKILL: past the service's quarkus.shutdown.timeout (the
     * gateway lets uploads in flight finish for up to 60 s).
     */
    public Duration stopGrace() {
        return Duration.ofSeconds(this == PEER_GATEWAY ? 75 : 20);
    }

    /** The gateway streams uploads through a bounded buffer; 512 MiB is the budget it is tested with. */
    String maxHeap() {
        return maxHeap;
    }
}
