package io.shoal.e2e.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.shoal.infra.ShoalService;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml as {@code docker-compose config} resolves it with .env: every service wired to what it
 * reads, Shoal's images built here and never pulled, the catalog on a volume, MinIO from quay.io with its
 * console on loopback, the bucket made by the same script as in Kubernetes.
 */
class ComposeTest {

    static JsonNode services;

    @BeforeAll
    static void resolve() throws Exception {
        services = Manifests.YAML.readTree(Manifests.run("docker-compose", "-f", "docker-compose.yml", "config")).path("services");
    }

    @Test
    void everyShoalServiceIsBuiltHereFromTheOneDockerfileAndWired() throws Exception {
        String tag = ImagesAndSecretsTest.envFileValue("SHOAL_TAG");
        for (ShoalService shoal : ShoalService.values()) {
            JsonNode service = services.path(shoal.module());
            String where = "compose service " + shoal.module();
            assertFalse(service.isMissingNode(), where + " is missing");
            for (String property : shoal.requiredConfig()) {
                assertTrue(service.path("environment").has(ShoalService.environmentName(property)),
                        where + " does not set " + ShoalService.environmentName(property));
            }
            assertEquals(Integer.toString(shoal.defaultHttpPort()), service.path("environment").path("QUARKUS_HTTP_PORT").asText(), where);
            assertTrue(service.has("healthcheck"), where + " has no health check");
            String image = service.path("image").asText();
            assertTrue(image.endsWith("/shoal/" + shoal.module() + ":" + tag), where + " image " + image);
            assertFalse(ImagesAndSecretsTest.registry(image).isEmpty(), where + ": " + image + " names no registry");
            assertEquals("build", service.path("pull_policy").asText(), where + " must be built, never pulled");
            assertEquals("services/Dockerfile", service.path("build").path("dockerfile").asText(), where);
            assertEquals(Manifests.ROOT.toString(), service.path("build").path("context").asText(), where + " builds from the root");
            assertEquals(shoal.module(), service.path("build").path("args").path("SERVICE").asText(), where);
            assertTrue(service.path("environment").path("JAVA_OPTS").asText().matches(".*-XX:\\+Use\\w+GC.*"),
                    where + " chooses its collector");
            service.path("depends_on").fieldNames().forEachRemaining(dependency ->
                    assertTrue(services.has(dependency), where + " depends on unknown " + dependency));
        }
        long gatewayGrace = Long.parseLong(services.path("peer-gateway").path("stop_grace_period").asText("10s").replace("s", ""));
        assertTrue(gatewayGrace >= RolloutsTest.shutdownTimeout(ShoalService.PEER_GATEWAY).toSeconds() + 10,
                "docker stop lets uploads in flight finish");
    }

    @Test
    void onlyThePublicEdgesArePublishedAndMinioConsoleOnLoopback() {
        assertEquals(Set.of("0.0.0.0:8080/tcp"), published(services.path("peer-gateway")));
        assertEquals(Set.of("0.0.0.0:6969/tcp", "0.0.0.0:6969/udp", "0.0.0.0:6970/udp"), published(services.path("tracker")));
        assertEquals(Set.of("0.0.0.0:6881/tcp", "0.0.0.0:6881/udp"), published(services.path("seeder-worker")));
        assertEquals(Set.of("127.0.0.1:9001/tcp"), published(services.path("minio")));
        for (String name : List.of("kafka", "postgres", "metadata", "minio-init")) {
            assertEquals(Set.of(), published(services.path(name)), name + " is not published");
        }
    }

    @Test
    void theTrackerTrustsTheStacksOwnNetworkOnly() throws Exception {
        JsonNode network = Manifests.YAML.readTree(Manifests.run("docker-compose", "-f", "docker-compose.yml", "config"))
                .path("networks").path("default");
        String subnet = network.path("ipam").path("config").path(0).path("subnet").asText(null);
        assertEquals("172.30.0.0/24", subnet, "a fixed block for the stack's containers");
        assertEquals(subnet, services.path("tracker").path("environment").path("SHOAL_TRACKER_TRUSTED_CIDRS").asText(),
                "ip= believed, and peers not capped per address, only from the stack's own containers (the seeder-worker)");
    }

    @Test
    void kafkaKeepsTheCatalogOnItsVolume() {
        JsonNode kafka = services.path("kafka");
        String logDirs = kafka.path("environment").path("KAFKA_LOG_DIRS").asText(null);
        assertTrue(logDirs != null, "with KAFKA_* set, the image drops its default log.dirs: /tmp/kafka-logs");
        boolean onVolume = false;
        for (JsonNode volume : kafka.path("volumes")) {
            String target = volume.isTextual() ? volume.asText().split(":")[1] : volume.path("target").asText();
            boolean named = volume.isTextual() ? !volume.asText().startsWith("/") : "volume".equals(volume.path("type").asText());
            for (String dir : logDirs.split(",")) {
                onVolume |= named && (dir.equals(target) || dir.startsWith(target + "/"));
            }
        }
        assertTrue(onVolume, "KAFKA_LOG_DIRS " + logDirs + " lies on a named volume");
    }

    @Test
    void minioFromQuayByDigestAndTheBucketMadeByTheKubernetesScript() {
        for (String name : List.of("minio", "minio-init")) {
            String image = services.path(name).path("image").asText();
            assertTrue(image.startsWith("quay.io/minio/") && image.contains("@sha256:"), name + ": " + image);
        }
        for (var field : (Iterable<java.util.Map.Entry<String, JsonNode>>) services::fields) {
            String image = field.getValue().path("image").asText();
            assertFalse(ImagesAndSecretsTest.registry(image).isEmpty(), field.getKey() + ": " + image + " names no registry");
        }
        JsonNode init = services.path("minio-init");
        assertEquals(List.of("bash", "/setup/minio-setup.sh", "--once"), Manifests.JSON.convertValue(init.path("entrypoint"), List.class));
        assertTrue(init.path("volumes").toString().contains("k8s/base/minio-setup.sh"), "one script in compose and Kubernetes");
        assertFalse(services.has("kafka-init"), "the services create their topics");
    }

    /** {@code host_ip:published/protocol} for each published port (compose's defaults: all addresses, TCP). */
    static Set<String> published(JsonNode service) {
        Set<String> ports = new HashSet<>();
        for (JsonNode port : service.path("ports")) {
            if (port.isTextual()) {
                String[] parts = port.asText().split("/");
                String[] hostPart = parts[0].split(":");
                String ip = hostPart.length == 3 ? hostPart[0] : "0.0.0.0";
                ports.add(ip + ":" + hostPart[hostPart.length - 2] + "/" + (parts.length > 1 ? parts[1] : "tcp"));
            } else {
                ports.add(port.path("host_ip").asText("0.0.0.0") + ":" + port.path("published").asText() + "/"
                        + port.path("protocol").asText("tcp"));
            }
        }
        return ports;
    }
}
