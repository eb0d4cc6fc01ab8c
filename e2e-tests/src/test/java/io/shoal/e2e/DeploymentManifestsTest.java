package io.shoal.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.google.gson.JsonParser;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.shoal.events.ShoalTopic;
import io.shoal.infra.RepoLayout;
import io.shoal.infra.ShoalService;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The deployment files, checked without a Docker engine or an API server: every overlay rendered by
 * {@code kubectl kustomize} and every object validated against the Kubernetes schemas, cross-references
 * resolved, and docker-compose.yml through {@code docker-compose config}, all against what the services
 * really need ({@link ShoalService#requiredConfig()}, {@link ShoalTopic}).
 */
class DeploymentManifestsTest {

    static final Path ROOT = RepoLayout.find().root();
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final ObjectMapper JSON = new ObjectMapper();

    static String run(String... command) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new AssertionError(command[0] + " is not installed (./shoal test installs it)", e);
        }
        String output;
        try (InputStream in = process.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed:\n" + output);
        }
        return output;
    }

    static List<JsonNode> render(String overlay) throws Exception {
        String yaml = run("kubectl", "kustomize", overlay.equals(".") ? "k8s" : "k8s/overlays/" + overlay);
        List<JsonNode> objects = new ArrayList<>();
        try (var docs = YAML.readerFor(JsonNode.class).readValues(yaml)) {
            while (docs.hasNext()) {
                JsonNode doc = (JsonNode) docs.next();
                if (doc != null && !doc.isNull() && !doc.isEmpty()) {
                    objects.add(doc);
                }
            }
        }
        return objects;
    }

    static String name(JsonNode object) {
        return object.path("metadata").path("name").asText();
    }

    static List<JsonNode> ofKind(List<JsonNode> objects, String kind) {
        return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
    }

    static JsonNode named(List<JsonNode> objects, String kind, String name) {
        return ofKind(objects, kind).stream().filter(o -> name.equals(name(o))).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    /** A ConfigMap or Secret by its name before kustomize added the content hash. */
    static JsonNode generated(List<JsonNode> objects, String kind, String baseName) {
        return ofKind(objects, kind).stream()
                .filter(o -> name(o).equals(baseName) || name(o).matches(java.util.regex.Pattern.quote(baseName) + "-[a-z0-9]{10}"))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + baseName));
    }

    /** "." is {@code kubectl apply -k k8s/}, DESIGN.md's command: the single-node overlay. */
    @ParameterizedTest
    @ValueSource(strings = {".", "single-node", "production"})
    void everyRenderedObjectMatchesTheKubernetesSchemas(String overlay) throws Exception {
        List<JsonNode> objects = render(overlay);
        assertFalse(objects.isEmpty());
        for (JsonNode object : objects) {
            String kind = object.path("kind").asText();
            String json = JSON.writeValueAsString(object);
            Class<?> model = Class.forName("io.kubernetes.client.openapi.models.V1" + kind);
            try {
                model.getMethod("validateJsonElement", com.google.gson.JsonElement.class).invoke(null, JsonParser.parseString(json));
            } catch (InvocationTargetException e) {
                fail(overlay + ": " + kind + " " + name(object) + ": " + e.getCause().getMessage());
            }
            KubernetesResource typed = Serialization.unmarshal(json);
            assertFalse(typed instanceof GenericKubernetesResource, overlay + ": unknown kind " + kind);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {".", "single-node", "production"})
    void referencesResolveAndEveryServiceGetsWhatItReads(String overlay) throws Exception {
        List<JsonNode> objects = render(overlay);
        Map<String, Set<String>> configMapKeys = keys(objects, "ConfigMap");
        Map<String, Set<String>> secretKeys = keys(objects, "Secret");
        List<JsonNode> workloads = new ArrayList<>();
        for (String kind : List.of("Deployment", "StatefulSet", "Job")) {
            workloads.addAll(ofKind(objects, kind));
        }

        for (JsonNode service : ofKind(objects, "Service")) {
            JsonNode selector = service.path("spec").path("selector");
            boolean selectsPods = workloads.stream().anyMatch(w -> matches(selector, w.path("spec").path("template").path("metadata").path("labels")));
            assertTrue(selectsPods, overlay + ": Service " + name(service) + " selects no pods");
        }

        for (JsonNode workload : workloads) {
            String where = overlay + ": " + workload.path("kind").asText() + " " + name(workload);
            JsonNode pod = workload.path("spec").path("template").path("spec");
            assertTrue(pod.path("securityContext").path("runAsNonRoot").asBoolean(), where + " may run as root");
            for (JsonNode container : pod.path("containers")) {
                assertFalse(container.path("securityContext").path("allowPrivilegeEscalation").asBoolean(true), where + " allows privilege escalation");
                assertTrue(container.path("resources").has("requests") && container.path("resources").has("limits"), where + " without requests and limits");
                if (!"Job".equals(workload.path("kind").asText())) {
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
                        checkPortsAndProbes(shoal, container, configMapKeys, objects, where);
                    }
                }
            }
        }
        for (ShoalService shoal : ShoalService.values()) {
            named(objects, "Deployment", shoal.module());
        }
    }

    static void checkPortsAndProbes(ShoalService shoal, JsonNode container, Map<String, Set<String>> configMapKeys,
                                    List<JsonNode> objects, String where) {
        int http = -1;
        for (JsonNode port : container.path("ports")) {
            if ("http".equals(port.path("name").asText())) {
                http = port.path("containerPort").asInt();
            }
        }
        assertEquals(shoal.defaultHttpPort(), http, where + ": the http port");
        JsonNode config = generated(objects, "ConfigMap", shoal.module() + "-config");
        assertEquals(Integer.toString(shoal.defaultHttpPort()), config.path("data").path("QUARKUS_HTTP_PORT").asText(), where + ": QUARKUS_HTTP_PORT");
        assertEquals("/q/health/ready", container.path("readinessProbe").path("httpGet").path("path").asText(), where);
        assertEquals("/q/health/live", container.path("livenessProbe").path("httpGet").path("path").asText(), where);
    }

    static void checkKeyRef(JsonNode ref, Map<String, Set<String>> keys, String where, String kind) {
        if (ref.isMissingNode()) {
            return;
        }
        String name = ref.path("name").asText();
        assertTrue(keys.containsKey(name), where + " reads missing " + kind + " " + name);
        assertTrue(keys.get(name).contains(ref.path("key").asText()), where + " reads missing key " + ref.path("key").asText() + " of " + name);
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

    static boolean matches(JsonNode selector, JsonNode labels) {
        if (selector.isMissingNode() || selector.isEmpty()) {
            return false;
        }
        var fields = selector.fields();
        while (fields.hasNext()) {
            var field = fields.next();
            if (!field.getValue().asText().equals(labels.path(field.getKey()).asText(null))) {
                return false;
            }
        }
        return true;
    }

    static void assertTopicsCreated(String script, String where) {
        for (ShoalTopic topic : ShoalTopic.values()) {
            assertTrue(script.contains("--topic " + topic.topicName() + " --partitions " + topic.partitions()),
                    where + " creates " + topic.topicName() + " with " + topic.partitions() + " partitions");
            assertTrue(script.matches("(?s).*--topic " + java.util.regex.Pattern.quote(topic.topicName())
                    + " [^\n]*cleanup.policy=" + topic.configs().get("cleanup.policy") + ".*"), where + " cleanup policy of " + topic.topicName());
        }
    }

    static String envFileValue(String name) throws IOException {
        Properties env = new Properties();
        try (var in = Files.newBufferedReader(ROOT.resolve(".env"))) {
            env.load(in);
        }
        return env.getProperty(name);
    }

    @Test
    void kubernetesTopicsJobImagesAndProductionShape() throws Exception {
        List<JsonNode> single = render("single-node");
        assertTopicsCreated(named(single, "Job", "kafka-topics").path("spec").path("template").path("spec")
                .path("containers").get(0).path("args").get(0).asText(), "the kafka-topics Job");
        String tag = envFileValue("SHOAL_TAG");
        for (ShoalService shoal : ShoalService.values()) {
            String image = named(single, "Deployment", shoal.module()).path("spec").path("template").path("spec")
                    .path("containers").get(0).path("image").asText();
            assertEquals("shoal/" + shoal.module() + ":" + tag, image, "the Kubernetes tag and .env's SHOAL_TAG agree");
        }
        JsonNode seeder = named(single, "Deployment", "seeder-worker").path("spec").path("template").path("spec");
        assertEquals("status.hostIP", seeder.path("containers").get(0).path("env").findValue("fieldPath").asText(),
                "seeders advertise the node's address");
        assertTrue(seeder.path("affinity").has("podAntiAffinity"), "one seeder a node, for hostPort 6881");

        List<JsonNode> production = render("production");
        assertEquals(2, named(production, "Deployment", "tracker").path("spec").path("replicas").asInt());
        assertEquals(3, named(production, "Deployment", "seeder-worker").path("spec").path("replicas").asInt());
        assertTrue(ofKind(production, "StatefulSet").stream().noneMatch(s -> name(s).equals("kafka") || name(s).equals("minio")),
                "external-backing removes the in-cluster Kafka and MinIO");
        assertNotEquals("kafka:9092", generated(production, "ConfigMap", "shoal-common").path("data").path("KAFKA_BOOTSTRAP_SERVERS").asText());
        JsonNode tracker = named(production, "Service", "tracker");
        assertEquals("LoadBalancer", tracker.path("spec").path("type").asText());
        assertEquals(Set.of("TCP", "UDP"), Set.copyOf(tracker.path("spec").path("ports").findValuesAsText("protocol")));
    }

    @Test
    void composeFileIsValidAndWiresEveryService() throws Exception {
        JsonNode compose = YAML.readTree(run("docker-compose", "-f", "docker-compose.yml", "config"));
        JsonNode services = compose.path("services");
        String tag = envFileValue("SHOAL_TAG");
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
            assertTrue(service.path("image").asText().endsWith("/" + shoal.module() + ":" + tag), where + " image tag");
            Path dockerfile = ROOT.resolve("services").resolve(shoal.module()).resolve(service.path("build").path("dockerfile").asText());
            assertTrue(Files.isRegularFile(dockerfile), where + ": " + dockerfile + " is missing");
            service.path("depends_on").fieldNames().forEachRemaining(dependency ->
                    assertTrue(services.has(dependency), where + " depends on unknown " + dependency));
        }
        assertTopicsCreated(services.path("kafka-init").path("command").get(0).asText(), "compose kafka-init");
        assertEquals(Set.of("8080/tcp"), published(services.path("peer-gateway")));
        assertEquals(Set.of("6969/tcp", "6969/udp"), published(services.path("tracker")));
        assertEquals(Set.of("6881/tcp"), published(services.path("seeder-worker")));
    }

    /** {@code published/protocol} for each published port (compose's default protocol is TCP). */
    static Set<String> published(JsonNode service) {
        Set<String> ports = new HashSet<>();
        for (JsonNode port : service.path("ports")) {
            ports.add(port.path("published").asText() + "/" + port.path("protocol").asText("tcp"));
        }
        return ports;
    }
}
