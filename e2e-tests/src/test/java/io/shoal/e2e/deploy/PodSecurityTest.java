package io.shoal.e2e.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.shoal.e2e.deploy.PodSecurityStandards.Level;
import io.shoal.infra.ShoalService;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Pod Security admission over every render: each pod template is admitted by the level its namespace enforces,
 * and Shoal's own services run at restricted whatever the namespace says.
 */
class PodSecurityTest {

    static Stream<org.junit.jupiter.params.provider.Arguments> renders() {
        return DeploymentManifestsTest.renders();
    }

    @ParameterizedTest(name = "{0} + {1}")
    @MethodSource("renders")
    void everyPodIsAdmittedByItsNamespacesLevel(String overlay, List<String> components) {
        List<JsonNode> objects = Manifests.render(overlay, components);
        Map<String, Level> levels = new HashMap<>();
        for (JsonNode namespace : Manifests.ofKind(objects, "Namespace")) {
            JsonNode labels = namespace.path("metadata").path("labels");
            String enforce = labels.path("pod-security.kubernetes.io/enforce").asText(null);
            assertTrue(enforce != null, "namespace " + Manifests.name(namespace) + " enforces no Pod Security level");
            levels.put(Manifests.name(namespace), Level.of(enforce));
            assertEquals(enforce, labels.path("pod-security.kubernetes.io/warn").asText(), "warn at the enforced level");
            assertEquals(enforce, labels.path("pod-security.kubernetes.io/audit").asText(), "audit at the enforced level");
        }
        assertEquals(Level.RESTRICTED, levels.get("shoal"), overlay + ": the shoal namespace enforces restricted");
        for (Manifests.Workload workload : Manifests.workloads(objects)) {
            Level level = levels.get(workload.namespace());
            assertTrue(level != null, workload + " runs in namespace " + workload.namespace() + ", which no render defines");
            assertEquals(List.of(), PodSecurityStandards.violations(workload.template(), level),
                    overlay + components + ": " + workload + " is refused at " + level);
        }
        for (ShoalService service : ShoalService.values()) {
            assertEquals(List.of(), PodSecurityStandards.violations(Manifests.workload(objects, service.module()).template(),
                    Level.RESTRICTED), service.module() + " at restricted");
        }
    }
}
