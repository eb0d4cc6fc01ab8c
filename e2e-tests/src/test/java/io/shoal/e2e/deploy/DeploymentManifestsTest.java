package io.shoal.e2e.deploy;

import static io.shoal.e2e.deploy.Manifests.name;
import static io.shoal.e2e.deploy.Manifests.ofKind;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.gson.JsonParser;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.shoal.infra.ShoalService;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The deployment files, checked without a Docker engine or an API server: every overlay, alone and with the
 * optional components, rendered by {@code kubectl kustomize}; every object validated against the Kubernetes
 * schemas and every cross-reference resolved against what the services really need
 * ({@link ShoalService#requiredConfig()}). The other tests of this package check what a cluster would do with
 * the objects: admission, fencing, rollouts, traffic, images and secrets, monitoring.
 */
class DeploymentManifestsTest {

    /** Kinds of the Prometheus Operator, which the Kubernetes models do not know (MonitoringTest checks them). */
    static final Set<String> CUSTOM_KINDS = Set.of("ServiceMonitor", "PodMonitor", "PrometheusRule");
    /** Secrets the operator creates (components/private-ca says how), so no render holds them. */
    static final Set<String> OPERATOR_SECRETS = Set.of("shoal-truststore");

    /** Each overlay alone, and with every optional component added. */
    static Stream<Arguments> renders() {
        List<Arguments> renders = new ArrayList<>();
        for (String overlay : Manifests.OVERLAYS) {
            renders.add(Arguments.of(overlay, List.of()));
            renders.add(Arguments.of(overlay, Manifests.COMPONENTS));
        }
        return renders.stream();
    }

    @ParameterizedTest(name = "{0} + {1}")
    @MethodSource("renders")
    void everyRenderedObjectMatchesTheKubernetesSchemas(String overlay, List<String> components) throws Exception {
        List<JsonNode> objects = Manifests.render(overlay, components);
        assertFalse(objects.isEmpty());
        for (JsonNode object : objects) {
            String kind = object.path("kind").asText();
            if (CUSTOM_KINDS.contains(kind)) {
                continue;
            }
            String json = Manifests.JSON.writeValueAsString(object);
            String version = object.path("apiVersion").asText().replaceAll(".*/", "");
            Class<?> model = Class.forName("io.kubernetes.client.openapi.models." + version.substring(0, 1).toUpperCase()
                    + version.substring(1) + kind);
            try {
                model.getMethod("validateJsonElement", com.google.gson.JsonElement.class).invoke(null, JsonParser.parseString(json));
            } catch (InvocationTargetException e) {
                fail(overlay + ": " + kind + " " + name(object) + ": " + e.getCause().getMessage());
            }
            KubernetesResource typed = Serialization.unmarshal(json);
            assertFalse(typed instanceof GenericKubernetesResource, overlay + ": unknown kind " + kind);
        }
    }

    @ParameterizedTest(name = "{0} + {1}")
    @MethodSource("renders")
    void referencesResolveAndEveryServiceGetsWhatItReads(String overlay, List<String> components) {
        List<JsonNode> objects = Manifests.render(overlay, components);
        Map<String, Set<String>> configMapKeys = keys(objects, "ConfigMap");
        Map<String, Set<String>> secretKeys = keys(objects, "Secret");
        OPERATOR_SECRETS.forEach(secret -> secretKeys.put(secret, Set.of("truststore.p12", "password")));
        List<Manifests.Workload> workloads = Manifests.workloads(objects);

        for (JsonNode service : ofKind(objects, "Service")) {
            JsonNode selector = service.path("spec").path("selector");
            boolean selectsPods = !selector.isEmpty() && workloads.stream().anyMatch(w -> Manifests.selects(selector, w.labels()));
            assertTrue(selectsPods, overlay + ": Service " + name(service) + " selects no pods");
        }

        for (Manifests.Workload workload : workloads) {
            String where = overlay + components + ": " + workload;
            for (JsonNode volume : workload.pod().path("volumes")) {
                String configMap = volume.path("configMap").path("name").asText(null);
                String secret = volume.path("secret").path("secretName").asText(null);
                assertTrue(configMap == null || configMapKeys.containsKey(configMap), where + " mounts missing ConfigMap " + configMap);
                assertTrue(secret == null || secretKeys.containsKey(secret), where + " mounts missing Secret " + secret);
            }
            for (JsonNode container : workload.pod().path("containers")) {
                assertTrue(container.path("resources").has("requests") && container.path("resources").has("limits"),
                        where + " without requests and limits");
                if (!"Job".equals(workload.kind())) {
                    assertTrue(container.has("readinessProbe") && container.has("livenessProbe"), where + " without probes");
                }
                Set<String> env = new HashSet<>();
                for (JsonNode from : container.path("envFrom")) {
                    String cm = from.path("configMapRef").path("name").asText(null);
                    String secret = from.path("secretRef").path("name").asText(null);
                    if (cm != null) {
                        assertTrue(configMapKeys.containsKey(cm), where + " reads missing ConfigMap " + cm);
                        env.addAll(configMapKeys.get(cm));
                    }
                    if (secret != null) {
                        assertTrue(secretKeys.containsKey(secret), where + " reads missing Secret " + secret);
                        env.addAll(secretKeys.get(secret));
                    }
                }
                for (JsonNode var : container.path("env")) {
                    env.add(var.path("name").asText());
                    JsonNode from = var.path("valueFrom");
                    checkKeyRef(from.path("configMapKeyRef"), configMapKeys, where, "ConfigMap");
                    checkKeyRef(from.path("secretKeyRef"), secretKeys, where, "Secret");
                }
                for (ShoalService shoal : ShoalService.values()) {
                    if (shoal.module().equals(container.path("name").asText())) {
                        for (String property : shoal.requiredConfig()) {
                            assertTrue(env.contains(ShoalService.environmentName(property)),
                                    where + " does not set " + ShoalService.environmentName(property));
                        }
                        checkPortsAndProbes(shoal, container, objects, where);
                    }
                }
            }
        }
        for (ShoalService shoal : ShoalService.values()) {
            Manifests.named(objects, "Deployment", shoal.module());
        }
    }

    /** Kinds that belong to no namespace. */
    static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition");

    /**
     * Everything lands in Shoal's namespace, whichever kustomization added it: an overlay or component without the
     * namespace would drop its objects into the default namespace (an autoscaler next to nothing it scales, a
     * NetworkPolicy fencing nobody).
     */
    @ParameterizedTest(name = "{0} + {1}")
    @MethodSource("renders")
    void everyObjectLandsInShoalsNamespace(String overlay, List<String> components) {
        for (JsonNode object : Manifests.render(overlay, components)) {
            if (!CLUSTER_SCOPED.contains(object.path("kind").asText())) {
                assertEquals("shoal", object.path("metadata").path("namespace").asText(null),
                        overlay + components + ": " + object.path("kind").asText() + " " + name(object));
            }
        }
    }

    /** The http port and QUARKUS_HTTP_PORT agree with the service; probes ask its health where it answers. */
    static void checkPortsAndProbes(ShoalService shoal, JsonNode container, List<JsonNode> objects, String where) {
        Map<String, Integer> ports = new HashMap<>();
        container.path("ports").forEach(p -> ports.put(p.path("name").asText(), p.path("containerPort").asInt()));
        assertEquals(shoal.defaultHttpPort(), ports.get("http"), where + ": the http port");
        Map<String, String> env = Manifests.environment(objects, container);
        assertEquals(Integer.toString(shoal.defaultHttpPort()), env.get("QUARKUS_HTTP_PORT"), where + ": QUARKUS_HTTP_PORT");
        String healthPort = "http";
        if (shoal.separateManagementPort()) {
            healthPort = "management";
            assertEquals(shoal.defaultManagementPort(), ports.get("management"), where + ": the management port");
            assertEquals(Integer.toString(shoal.defaultManagementPort()), env.get("QUARKUS_MANAGEMENT_PORT"), where);
        }
        for (String probe : List.of("readinessProbe", "livenessProbe", "startupProbe")) {
            JsonNode get = container.path(probe).path("httpGet");
            assertEquals(probe.equals("readinessProbe") ? "/q/health/ready" : "/q/health/live", get.path("path").asText(),
                    where + " " + probe);
            assertEquals(healthPort, get.path("port").asText(), where + " " + probe + " port");
        }
    }

    static void checkKeyRef(JsonNode ref, Map<String, Set<String>> keys, String where, String kind) {
        if (ref.isMissingNode()) {
            return;
        }
        String name = ref.path("name").asText();
        assertTrue(keys.containsKey(name), where + " reads missing " + kind + " " + name);
        assertTrue(keys.get(name).contains(ref.path("key").asText()), where + " reads missing key " + ref.path("key").asText()
                + " of " + name);
    }

    static Map<String, Set<String>> keys(List<JsonNode> objects, String kind) {
        Map<String, Set<String>> keys = new HashMap<>();
        for (JsonNode object : ofKind(objects, kind)) {
            Set<String> names = new HashSet<>();
            object.path("data").fieldNames().forEachRemaining(names::add);
            object.path("stringData").fieldNames().forEachRemaining(names::add);
            keys.put(name(object), names);
        }
        return keys;
    }
}
