package io.shoal.e2e.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shoal.e2e.deploy.PodSecurityStandards.Level;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The checker itself: a compliant pod passes, and each thing admission refuses is found at its level. */
class PodSecurityStandardsTest {

    private static ObjectNode compliant() throws Exception {
        return (ObjectNode) Manifests.YAML.readTree("""
                metadata: {labels: {app: x}}
                spec:
                  securityContext: {runAsNonRoot: true, runAsUser: 10001, seccompProfile: {type: RuntimeDefault}}
                  containers:
                    - name: app
                      image: registry.example/app:1
                      ports: [{name: http, containerPort: 8080}]
                      securityContext:
                        allowPrivilegeEscalation: false
                        capabilities: {drop: [ALL]}
                  volumes:
                    - {name: tmp, emptyDir: {}}
                    - {name: config, configMap: {name: c}}
                """);
    }

    private static List<String> violations(Consumer<ObjectNode> mutation, Level level) throws Exception {
        ObjectNode template = compliant();
        mutation.accept(template);
        return PodSecurityStandards.violations(template, level);
    }

    private static ObjectNode container(ObjectNode template) {
        return (ObjectNode) template.path("spec").path("containers").get(0);
    }

    private static ObjectNode context(ObjectNode template) {
        return (ObjectNode) container(template).path("securityContext");
    }

    @Test
    void a_compliant_pod_is_admitted_at_restricted() throws Exception {
        assertEquals(List.of(), PodSecurityStandards.violations(compliant(), Level.RESTRICTED));
    }

    @Test
    void baseline_refuses_host_ports_host_namespaces_host_paths_and_privilege() throws Exception {
        List<Consumer<ObjectNode>> refused = List.of(
                t -> ((ObjectNode) container(t).path("ports").get(0)).put("hostPort", 6881),
                t -> ((ObjectNode) t.path("spec")).put("hostNetwork", true),
                t -> ((ObjectNode) t.path("spec")).put("hostPID", true),
                t -> ((ArrayNode) t.path("spec").path("volumes")).addObject()
                        .put("name", "root").putObject("hostPath").put("path", "/"),
                t -> context(t).put("privileged", true),
                t -> context(t).putObject("capabilities").putArray("add").add("SYS_ADMIN"),
                t -> context(t).putObject("seccompProfile").put("type", "Unconfined"),
                t -> context(t).put("procMount", "Unmasked"),
                t -> ((ObjectNode) t.path("spec").path("securityContext")).putArray("sysctls").addObject()
                        .put("name", "kernel.msgmax").put("value", "1"));
        for (Consumer<ObjectNode> mutation : refused) {
            assertTrue(!violations(mutation, Level.BASELINE).isEmpty(), "baseline must refuse it");
        }
    }

    @Test
    void restricted_also_refuses_root_escalation_kept_capabilities_and_other_volumes() throws Exception {
        List<Consumer<ObjectNode>> refused = List.of(
                t -> context(t).remove("allowPrivilegeEscalation"),
                t -> ((ObjectNode) t.path("spec").path("securityContext")).remove("runAsNonRoot"),
                t -> context(t).put("runAsUser", 0),
                t -> ((ObjectNode) t.path("spec").path("securityContext")).remove("seccompProfile"),
                t -> context(t).putObject("capabilities").putArray("drop").add("NET_RAW"),
                t -> context(t).putObject("capabilities").putArray("add").add("CHOWN"),
                t -> ((ArrayNode) t.path("spec").path("volumes")).addObject()
                        .put("name", "share").putObject("nfs").put("server", "nfs"));
        for (Consumer<ObjectNode> mutation : refused) {
            assertEquals(List.of(), violations(mutation, Level.BASELINE), "baseline lets it in");
            assertTrue(!violations(mutation, Level.RESTRICTED).isEmpty(), "restricted must refuse it");
        }
    }

    @Test
    void a_container_may_carry_what_the_pod_leaves_unset() throws Exception {
        List<String> found = violations(t -> {
            ((ObjectNode) t.path("spec").path("securityContext")).remove("seccompProfile");
            context(t).putObject("seccompProfile").put("type", "RuntimeDefault");
            ((ObjectNode) t.path("spec").path("securityContext")).remove("runAsNonRoot");
            context(t).put("runAsNonRoot", true);
        }, Level.RESTRICTED);
        assertEquals(List.of(), found);
    }
}
