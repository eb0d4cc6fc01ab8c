package io.shoal.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shoal.events.ShoalTopic;
import io.shoal.infra.KafkaBroker;
import io.shoal.infra.Ports;
import io.shoal.infra.RepoLayout;
import io.shoal.infra.ShoalService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a packaged service does when a deployment starts it: with a secret still at the value the repository's
 * example files hold it refuses to start and names the variable; on a Kafka cluster without Shoal's topics it
 * creates them as ShoalTopic defines them (no topics Job to run first).
 */
class ServiceStartIT {

    static final Path ROOT = RepoLayout.find().root();

    @TempDir
    Path dir;

    /** A value from one of the repository's example files: KEY=VALUE lines. */
    static String example(String file, String key) throws IOException {
        Properties values = new Properties();
        try (var in = Files.newBufferedReader(ROOT.resolve(file))) {
            values.load(in);
        }
        String value = values.getProperty(key);
        assertTrue(value != null, file + " has no " + key);
        return value;
    }

    /** Everything the service reads, pointing nowhere: the secret check must come before any connection. */
    static Map<String, String> unreachableConfig(ShoalService service) {
        Map<String, String> env = new HashMap<>();
        for (String property : service.requiredConfig()) {
            env.put(ShoalService.environmentName(property), switch (property) {
                case "kafka.bootstrap.servers" -> "127.0.0.1:1";
                case "shoal.object-store.endpoint" -> "http://127.0.0.1:1";
                case "quarkus.datasource.jdbc.url" -> "jdbc:postgresql://127.0.0.1:1/shoal";
                case "shoal.gateway.public-url", "shoal.gateway.metadata-url" -> "http://127.0.0.1:1";
                case "shoal.metadata.announce-urls", "shoal.tracker.announce-url" -> "http://127.0.0.1:1/announce";
                case "shoal.metadata.web-seed-urls" -> "http://127.0.0.1:1/api/v1/web-seed/";
                case "shoal.seeder.peer-port" -> Integer.toString(Ports.free());
                default -> "0123456789abcdef0123456789abcdef";
            });
        }
        env.put("QUARKUS_HTTP_PORT", Integer.toString(Ports.free()));
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(Ports.free()));
        return env;
    }

    Process start(ShoalService service, Map<String, String> env, String log) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xmx256m", "-jar",
                ROOT.resolve("services/" + service.module() + "/target/quarkus-app/quarkus-run.jar").toString())
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve(log).toFile());
        builder.environment().putAll(env);
        return builder.start();
    }

    @Test
    void everyServiceRefusesTheExampleSecretsAndNamesTheVariable() throws Exception {
        record Case(ShoalService service, String variable, String value) {
        }
        List<Case> cases = List.of(
                new Case(ShoalService.PEER_GATEWAY, "SHOAL_GATEWAY_API_TOKEN", example(".env", "SHOAL_API_TOKEN")),
                new Case(ShoalService.METADATA, "QUARKUS_DATASOURCE_PASSWORD", example("k8s/overlays/production/postgres.env", "password")),
                new Case(ShoalService.TRACKER, "SHOAL_TRACKER_UDP_CONNECTION_SECRET", example("k8s/overlays/single-node/tracker.env", "secret")),
                new Case(ShoalService.SEEDER_WORKER, "SHOAL_OBJECT_STORE_SECRET_KEY", example(".env", "SHOAL_OBJECT_STORE_SECRET_KEY")));
        List<CompletableFuture<Void>> runs = new ArrayList<>();
        for (Case c : cases) {
            Map<String, String> env = unreachableConfig(c.service());
            env.put(c.variable(), c.value());
            String log = c.service().module() + ".log";
            Process process = start(c.service(), env, log);
            runs.add(CompletableFuture.runAsync(() -> {
                try {
                    boolean exited = process.waitFor(90, TimeUnit.SECONDS);
                    if (!exited) {
                        process.destroyForcibly();
                    }
                    String output = Files.readString(dir.resolve(log));
                    assertTrue(exited, c.service().module() + " started with a placeholder secret:\n" + output);
                    assertNotEquals(0, process.exitValue(), c.service().module() + " exited 0");
                    assertTrue(output.contains(c.variable() + " (") && output.contains("placeholder"),
                            c.service().module() + " does not say which secret to set:\n" + output);
                } catch (IOException | InterruptedException e) {
                    throw new AssertionError(e);
                }
            }));
        }
        CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).join();
    }

    @Test
    void aServiceCreatesShoalsTopicsOnAClusterThatLacksThem() throws Exception {
        try (KafkaBroker kafka = KafkaBroker.start(dir.resolve("kafka"), Ports.free(), Ports.free());
             Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            assertEquals(Set.of(), admin.listTopics().names().get(10, TimeUnit.SECONDS), "a bare cluster");
            Map<String, String> env = unreachableConfig(ShoalService.TRACKER);
            env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
            Process tracker = start(ShoalService.TRACKER, env, "tracker.log");
            try {
                Set<String> wanted = new java.util.HashSet<>();
                for (ShoalTopic topic : ShoalTopic.values()) {
                    wanted.add(topic.topicName());
                }
                long deadline = System.currentTimeMillis() + 90_000;
                while (!admin.listTopics().names().get(10, TimeUnit.SECONDS).containsAll(wanted)) {
                    assertTrue(tracker.isAlive() && System.currentTimeMillis() < deadline,
                            "the tracker created no topics:\n" + Files.readString(dir.resolve("tracker.log")));
                    Thread.sleep(250);
                }
                Map<String, TopicDescription> described = admin.describeTopics(wanted).allTopicNames().get(10, TimeUnit.SECONDS);
                for (ShoalTopic topic : ShoalTopic.values()) {
                    assertEquals(topic.partitions(), described.get(topic.topicName()).partitions().size(), topic.topicName());
                    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic.topicName());
                    Config config = admin.describeConfigs(List.of(resource)).all().get(10, TimeUnit.SECONDS).get(resource);
                    topic.configs().forEach((name, value) -> assertEquals(value, config.get(name).value(), topic.topicName() + " " + name));
                }
                assertTrue(Files.readString(dir.resolve("tracker.log")).contains("created Kafka topic shoal.torrents"));
            } finally {
                tracker.destroy();
                tracker.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }
}
