package io.shoal.e2e.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shoal.infra.ShoalService;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.function.Consumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Every rollout can make progress on the nodes each overlay is sized for, every replicated workload survives a
 * node drain, gateways and trackers spread over nodes, and every service stops gracefully within its grace
 * period. The checks are shown to fail on the mistakes they exist for.
 */
class RolloutsTest {

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> renders() {
        return DeploymentManifestsTest.renders();
    }

    @ParameterizedTest(name = "{0} + {1}")
    @MethodSource("renders")
    void everyRolloutCanProgressAndEveryNodeCanBeDrained(String overlay, List<String> components) {
        assertEquals(List.of(), Rollouts.problems(Manifests.render(overlay, components)), overlay + components.toString());
    }

    @Test
    void theOverlaysSayWhatTheyAreSizedFor() {
        assertEquals(1, Rollouts.nodes(Manifests.render("single-node")));
        assertEquals(3, Rollouts.nodes(Manifests.render("production")));
        assertEquals(3, Manifests.named(Manifests.render("production"), "Deployment", "seeder-worker").path("spec").path("replicas").asInt());
    }

    /** Each mistake, made in a copy of a render, is found. */
    @Test
    void theChecksFindTheMistakesTheyExistFor() throws Exception {
        assertFound("single-node", o -> strategy(o, "seeder-worker").removeAll(), "waits forever for a surge pod");
        assertFound("single-node", o -> ((ObjectNode) container(o, "tracker").path("ports").get(0)).put("hostPort", 6969),
                "waits forever for a surge pod");
        assertFound("single-node", o -> deployment(o, "seeder-worker").with("spec").put("replicas", 2), "stay Pending");
        assertFound("production", o -> deployment(o, "peer-gateway").with("spec").put("replicas", 2), "autoscaler owns them");
        assertFound("production", o -> {
            budget(o, "seeder-worker").remove("maxUnavailable");
            budget(o, "seeder-worker").put("minAvailable", 3);
        }, "allows no eviction");
        assertFound("production", o -> o.removeIf(x -> x.path("kind").asText().equals("PodDisruptionBudget")
                && Manifests.name(x).equals("tracker")), "no PodDisruptionBudget");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.shoal.e2e.deploy.RolloutsTest#overlays")
    void gatewaysAndTrackersSpreadOverNodes(String overlay) {
        List<JsonNode> objects = Manifests.render(overlay);
        for (String name : List.of("peer-gateway", "tracker")) {
            Manifests.Workload workload = Manifests.workload(objects, name);
            boolean spread = false;
            for (JsonNode constraint : workload.pod().path("topologySpreadConstraints")) {
                spread |= "kubernetes.io/hostname".equals(constraint.path("topologyKey").asText())
                        && Manifests.selects(constraint.path("labelSelector"), workload.labels());
            }
            assertTrue(spread, overlay + ": " + name + " has no topology spread over nodes");
        }
    }

    static List<String> overlays() {
        return Manifests.OVERLAYS;
    }

    /**
     * SIGTERM comes after preStop; then Quarkus lets requests in flight finish (quarkus.shutdown.timeout, from the
     * service's own configuration) and the service stops (the seeder's trackers hear "stopped"). The pod's grace
     * period must cover all of it, or the kubelet kills an upload midway.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.shoal.e2e.deploy.RolloutsTest#overlays")
    void everyServiceStopsGracefullyWithinItsGracePeriod(String overlay) throws IOException {
        List<JsonNode> objects = Manifests.render(overlay);
        for (ShoalService service : ShoalService.values()) {
            Manifests.Workload workload = Manifests.workload(objects, service.module());
            JsonNode preStop = workload.pod().path("containers").get(0).path("lifecycle").path("preStop").path("exec").path("command");
            assertEquals("sleep", preStop.path(0).asText(), service.module() + " has no preStop pause for its endpoints to go");
            long pause = preStop.path(1).asLong();
            long timeout = shutdownTimeout(service).toSeconds();
            long grace = workload.pod().path("terminationGracePeriodSeconds").asLong(30);
            assertTrue(grace >= pause + timeout + 10, service.module() + ": grace " + grace + " s < preStop " + pause
                    + " s + quarkus.shutdown.timeout " + timeout + " s + 10 s to stop");
        }
        assertTrue(shutdownTimeout(ShoalService.PEER_GATEWAY).toSeconds() >= 60, "uploads in flight get a minute to finish");
    }

    static Duration shutdownTimeout(ShoalService service) throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(Manifests.ROOT.resolve("services/" + service.module()
                + "/src/main/resources/application.properties"))) {
            properties.load(in);
        }
        String timeout = properties.getProperty("quarkus.shutdown.timeout");
        assertTrue(timeout != null && timeout.endsWith("s"), service.module() + " sets no quarkus.shutdown.timeout in seconds");
        return Duration.ofSeconds(Long.parseLong(timeout.substring(0, timeout.length() - 1)));
    }

    private static void assertFound(String overlay, Consumer<List<JsonNode>> mistake, String expected) throws IOException {
        List<JsonNode> copy = Manifests.parse(Manifests.YAML.writeValueAsString(Manifests.render(overlay)));
        copy = new java.util.ArrayList<>(copy);
        assertTrue(Rollouts.problems(copy).isEmpty());
        mistake.accept(copy);
        List<String> problems = Rollouts.problems(copy);
        assertFalse(problems.isEmpty(), "not found: " + expected);
        assertTrue(problems.stream().anyMatch(p -> p.contains(expected)), problems + " (expected: " + expected + ")");
    }

    private static ObjectNode deployment(List<JsonNode> objects, String name) {
        return (ObjectNode) Manifests.named(objects, "Deployment", name);
    }

    private static ObjectNode strategy(List<JsonNode> objects, String name) {
        return deployment(objects, name).with("spec").with("strategy");
    }

    private static ObjectNode container(List<JsonNode> objects, String name) {
        return (ObjectNode) deployment(objects, name).path("spec").path("template").path("spec").path("containers").get(0);
    }

    private static ObjectNode budget(List<JsonNode> objects, String name) {
        return (ObjectNode) Manifests.named(objects, "PodDisruptionBudget", name).path("spec");
    }
}
