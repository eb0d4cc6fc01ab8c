package io.shoal.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A whole local stack, like {@code ./shoal up}'s, whose every part a fault-injection test may stop, kill,
 * freeze and start again: Kafka (in this JVM), PostgreSQL, the S3 store and each service. Data survives a
 * restart (the same directories and ports). {@link #close()} stops everything it started.
 */
public final class ControllableStack implements AutoCloseable {

    private static final Duration READY = Duration.ofSeconds(180);

    private final StackSettings settings;
    private final Map<String, String> extraConfig;
    private final Map<ShoalService, ServiceProcess> services = new EnumMap<>(ShoalService.class);
    private KafkaBroker kafka;
    private PostgresServer postgres;
    private S3Store store;

    private boolean temporaryHome;

    private ControllableStack(StackSettings settings, Map<String, String> extraConfig) {
        this.settings = settings;
        this.extraConfig = extraConfig;
    }

    /** A stack whose work directory is a new temporary one, deleted when the stack closes. */
    public static ControllableStack startInTemporaryHome(String prefix, Map<String, String> extraConfig) throws IOException {
        Path home = Files.createTempDirectory(prefix);
        try {
            ControllableStack stack = start(home, extraConfig);
            stack.temporaryHome = true;
            return stack;
        } catch (IOException | RuntimeException e) {
            WorkDirectories.deleteRecursively(home);
            throw e;
        }
    }

    /**
     * @param home        an empty work directory
     * @param extraConfig settings for the services beyond what each needs (Quarkus names), e.g. shorter timeouts
     */
    public static ControllableStack start(Path home, Map<String, String> extraConfig) throws IOException {
        Files.createDirectories(home.resolve("logs"));
        Map<String, String> env = new HashMap<>();
        env.put("SHOAL_HOME", home.toString());
        for (String variable : StackSettings.OTHER_PORT_VARIABLES) {
            env.put(variable, Integer.toString(Ports.free()));
        }
        for (ShoalService service : ShoalService.values()) {
            env.put(StackSettings.portVariable(service), Integer.toString(Ports.free()));
            if (service.separateManagementPort()) {
                env.put(StackSettings.managementPortVariable(service), Integer.toString(Ports.free()));
            }
        }
        ControllableStack stack = new ControllableStack(StackSettings.fromEnvironment(env, RepoLayout.find()), extraConfig);
        try {
            stack.startKafka();
            stack.startPostgres();
            stack.startStore();
            stack.kafka.createTopics();
            stack.store.createBucket(BackingServices.BUCKET);
            for (ShoalService service : ShoalService.values()) {
                stack.launch(service);
            }
            for (ShoalService service : ShoalService.values()) {
                stack.services.get(service).awaitReady(READY);
            }
            return stack;
        } catch (IOException | RuntimeException e) {
            stack.close();
            throw e;
        }
    }

    public void startKafka() throws IOException {
        kafka = KafkaBroker.start(settings.home().resolve("kafka"), settings.backing().kafka(), settings.backing().kafkaController());
    }

    public void stopKafka() {
        kafka.close();
    }

    public void startPostgres() throws IOException {
        postgres = PostgresServer.start(settings.home().resolve("postgres"), settings.backing().postgres(),
                settings.credentials().postgresPassword(), logs().resolve("postgres.log"), false);
    }

    public void stopPostgres() throws IOException {
        postgres.close();
    }

    /** SIGSTOP to the postmaster and every backend: connections stay open and nothing answers. */
    public void freezePostgres() throws IOException {
        signalPostgres("STOP");
    }

    public void thawPostgres() throws IOException {
        signalPostgres("CONT");
    }

    private void signalPostgres(String signal) throws IOException {
        long pid = postgres.pid().orElseThrow(() -> new IOException("PostgreSQL is not running"));
        List<Long> pids = new ArrayList<>();
        pids.add(pid);
        ProcessHandle.of(pid).ifPresent(postmaster -> postmaster.descendants().forEach(p -> pids.add(p.pid())));
        signal(signal, pids);
    }

    /** SIGSTOP: the JVM holds its connections and answers nothing, like a machine that hangs. */
    public void freeze(ShoalService service) throws IOException {
        signal("STOP", List.of(services.get(service).pid()));
    }

    public void thaw(ShoalService service) throws IOException {
        signal("CONT", List.of(services.get(service).pid()));
    }

    private static void signal(String signal, List<Long> pids) throws IOException {
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
        pids.forEach(pid -> command.add(Long.toString(pid)));
        try {
            Process kill = new ProcessBuilder(command).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    public void startStore() throws IOException {
        store = S3Store.start(settings.home().resolve("s3"), settings.backing().s3(), settings.credentials().s3AccessKey(),
                settings.credentials().s3SecretKey(), settings.layout().s3proxyJar(), logs().resolve("s3proxy.log"),
                settings.javaMarker());
    }

    public void stopStore() {
        store.close();
    }

    /** Starts a service (again) and returns once it is ready. */
    public void start(ShoalService service) throws IOException {
        launch(service).awaitReady(READY);
    }

    private ServiceProcess launch(ShoalService service) throws IOException {
        Map<String, String> config = new LinkedHashMap<>(LocalStack.serviceConfig(service,
                BackingServices.serviceConfig(kafka, postgres, store), settings));
        config.putAll(extraConfig);
        ServiceProcess process = ServiceProcess.start(service, settings.layout().serviceJar(service), settings.httpHost(service),
                settings.httpPorts().get(service),
                settings.managementPorts().get(service), config, log(service), settings.javaMarker());
        services.put(service, process);
        return process;
    }

    /** SIGKILL: no shutdown hook, no drain; what a crashed node or an OOM kill does. */
    public void kill(ShoalService service) throws InterruptedException {
        Process process = services.get(service).process();
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    public String gatewayUrl() {
        return settings.gatewayUrl();
    }

    public String apiToken() {
        return settings.apiToken();
    }

    public String announceUrl() {
        return settings.announceUrl();
    }

    /** The seeder's peer port: TCP for the peer wire, UDP for its DHT node. */
    public int peerPort() {
        return settings.peerPort();
    }

    /** The tracker's DHT node (UDP). */
    public int trackerDhtPort() {
        return settings.trackerDhtPort();
    }

    /** Where the service's health and metrics answer. */
    public String managementUrl(ShoalService service) {
        return services.get(service).managementUrl();
    }

    public String kafkaBootstrapServers() {
        return "127.0.0.1:" + settings.backing().kafka();
    }

    /** The services' view of the backing services: JDBC URL and credentials, the store's endpoint and keys, the bucket. */
    public Map<String, String> backingConfig() {
        return BackingServices.serviceConfig(kafka, postgres, store);
    }

    public Path log(ShoalService service) {
        return logs().resolve(service.module() + ".log");
    }

    private Path logs() {
        return settings.home().resolve("logs");
    }

    @Override
    public void close() {
        for (ServiceProcess service : services.values()) {
            try {
                signal("CONT", List.of(service.pid()));
            } catch (IOException e) {
                // it had exited
            }
            service.close();
        }
        try {
            stopBackingServices();
        } finally {
            if (temporaryHome) {
                WorkDirectories.deleteRecursively(settings.home());
            }
        }
    }

    private void stopBackingServices() {
        for (AutoCloseable part : new AutoCloseable[] {store, postgres, kafka}) {
            if (part != null) {
                try {
                    if (part == postgres) {
                        thawPostgres();
                    }
                    part.close();
                } catch (Exception e) {
                    // stopping what is left; the first failure of the test is the one that matters
                }
            }
        }
    }
}
