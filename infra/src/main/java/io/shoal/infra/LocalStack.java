package io.shoal.infra;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * The whole local Shoal: the backing services and the four services as child JVMs. {@link #close()}
 * may come from a shutdown hook at any moment of {@link #start}; it stops whatever has started.
 */
final class LocalStack implements AutoCloseable {

    private static final Duration SERVICE_READY_TIMEOUT = Duration.ofSeconds(180);

    private final StackSettings settings;
    private BackingServices backing;
    private final List<ServiceProcess> services = new ArrayList<>();
    private boolean closed;

    LocalStack(StackSettings settings) {
        this.settings = settings;
    }

    void start(Consumer<String> progress) throws IOException {
        long begin = System.nanoTime();
        BackingServices started = BackingServices.start(settings.home(), settings.backing(),
                settings.credentials(), BackingServices.Durability.DURABLE, settings.layout(), settings.javaMarker());
        synchronized (this) {
            if (closed) {
                started.close();
                throw new IOException("stopped while starting");
            }
            backing = started;
        }
        progress.accept(String.format("backing services ready in %.1f s: Kafka %s, PostgreSQL %s, S3 %s",
                seconds(begin), started.kafka().bootstrapServers(), started.postgres().jdbcUrl(),
                started.s3().endpoint()));

        for (ShoalService service : ShoalService.values()) {
            ServiceProcess process = ServiceProcess.start(service, settings.layout().serviceJar(service),
                    settings.httpHost(service),
                    settings.httpPorts().get(service), settings.managementPorts().get(service),
                    serviceConfig(service, started.serviceConfig(), settings),
                    settings.home().resolve("logs").resolve(service.module() + ".log"), settings.javaMarker());
            synchronized (this) {
                services.add(process);
                if (closed) {
                    throw new IOException("stopped while starting");
                }
            }
        }
        List<CompletableFuture<Void>> ready = new ArrayList<>();
        for (ServiceProcess process : services) {
            ready.add(CompletableFuture.runAsync(() -> {
                try {
                    process.awaitReady(SERVICE_READY_TIMEOUT);
                    progress.accept(String.format("%s ready at %s (%.1f s)", process.service().module(),
                            process.url(), seconds(begin)));
                } catch (IOException e) {
                    throw new CompletionException(e);
                }
            }));
        }
        try {
            CompletableFuture.allOf(ready.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }

    /**
     * The service's {@link ShoalService#requiredConfig()}, so the local stack is a deployment like the others,
     * and where the seeder's peer port listens.
     */
    static Map<String, String> serviceConfig(ShoalService service, Map<String, String> backingConfig, StackSettings settings) {
        Map<String, String> config = new LinkedHashMap<>(backingConfig);
        switch (service) {
            case PEER_GATEWAY -> {
                config.put("shoal.gateway.api-token", settings.apiToken());
                config.put("shoal.gateway.public-url", settings.gatewayUrl());
                config.put("shoal.gateway.metadata-url", "http://127.0.0.1:" + settings.httpPorts().get(ShoalService.METADATA));
                config.put("shoal.gateway.metadata-token", settings.internalApiToken());
            }
            case METADATA -> {
                config.put("shoal.metadata.announce-urls", settings.announceUrl());
                config.put("shoal.metadata.web-seed-urls", settings.gatewayUrl() + "/api/v1/web-seed/");
                config.put("shoal.metadata.internal-api-token", settings.internalApiToken());
            }
            case TRACKER -> {
                config.put("shoal.tracker.announce-url", settings.announceUrl());
                // the seeder-worker announces from the public address: its ip= is believed, its torrents not capped
                config.put("shoal.tracker.trusted-cidrs", settings.publicAddress() + (settings.publicAddress().contains(":") ? "/128" : "/32"));
            }
            case SEEDER_WORKER -> {
                config.put("shoal.seeder.peer-port", Integer.toString(settings.peerPort()));
                config.put("shoal.seeder.advertised-host", settings.publicAddress());
            }
        }
        config.keySet().retainAll(service.requiredConfig());
        if (!config.keySet().containsAll(service.requiredConfig())) {
            throw new IllegalStateException(service.module() + " needs " + service.requiredConfig() + " but gets " + config.keySet());
        }
        // Beyond the required settings: where the other deployments listen on every interface of a pod or container,
        // the local stack's peer port (and the DHT nodes) listen on the public address only, like the gateway's; and
        // the DHT nodes are at ports the stack chose.
        config.put("shoal.dht.bootstrap", settings.dhtBootstrap());
        if (service == ShoalService.SEEDER_WORKER) {
            config.put("shoal.seeder.peer-host", settings.publicAddress());
        }
        if (service == ShoalService.TRACKER) {
            config.put("shoal.dht.port", Integer.toString(settings.trackerDhtPort()));
            config.put("shoal.dht.host", settings.publicAddress());
        }
        return config;
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    /** For the state file: where everything is, so tests and {@code ./shoal status} can find it. */
    synchronized Map<String, String> describe() {
        Map<String, String> state = new LinkedHashMap<>();
        state.put("public.address", settings.publicAddress());
        state.put("gateway.url", settings.gatewayUrl());
        state.put("tracker.announce.url", settings.announceUrl());
        state.put("api.token", settings.apiToken());
        state.put("internal-api.token", settings.internalApiToken());
        for (ServiceProcess process : services) {
            state.put("service." + process.service().module() + ".url", process.url());
            state.put("service." + process.service().module() + ".management.url", process.managementUrl());
        }
        if (backing != null) {
            state.put("kafka.bootstrap.servers", backing.kafka().bootstrapServers());
            state.put("postgres.jdbc.url", backing.postgres().jdbcUrl());
            state.put("postgres.username", backing.postgres().username());
            state.put("postgres.password", backing.postgres().password());
            state.put("s3.endpoint", backing.s3().endpoint());
            state.put("s3.access-key", backing.s3().accessKey());
            state.put("s3.secret-key", backing.s3().secretKey());
            state.put("s3.bucket", BackingServices.BUCKET);
        }
        return state;
    }

    /** Every process outside this JVM that this stack started (some may have exited since). */
    synchronized List<Long> childPids() {
        List<Long> pids = new ArrayList<>();
        services.forEach(s -> pids.add(s.pid()));
        if (backing != null) {
            pids.addAll(backing.childPids());
        }
        return pids;
    }

    /** Calls back once for each service JVM that exits while the stack is meant to be running. */
    synchronized void onServiceExit(Consumer<String> report) {
        for (ServiceProcess process : services) {
            process.process().onExit().thenAccept(p -> {
                synchronized (this) {
                    if (!closed) {
                        report.accept(process.service().module() + " exited with status " + p.exitValue()
                                + "; the end of " + process.logFile() + ":\n" + ServiceProcess.tail(process.logFile(), 20));
                    }
                }
            });
        }
    }

    @Override
    public void close() {
        List<ServiceProcess> running;
        BackingServices toStop;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            running = List.copyOf(services);
            toStop = backing;
        }
        running.stream().map(process -> CompletableFuture.runAsync(process::close)).toList()
                .forEach(CompletableFuture::join);
        if (toStop != null) {
            toStop.close();
        }
    }
}
