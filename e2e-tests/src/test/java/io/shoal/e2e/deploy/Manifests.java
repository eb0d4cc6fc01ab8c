package io.shoal.e2e.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.shoal.infra.RepoLayout;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The deployment files as a cluster would receive them: {@code kubectl kustomize} of an overlay, optionally
 * with components added (as an operator adds them to an overlay), parsed into JSON trees. Renders are cached:
 * every test class reads the same ones.
 */
final class Manifests {

    static final Path ROOT = RepoLayout.find().root();
    static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    static final ObjectMapper JSON = new ObjectMapper();
    /** {@code kubectl apply -k k8s/} (DESIGN.md), then the two overlays. */
    static final List<String> OVERLAYS = List.of(".", "single-node", "production");
    /** Optional components, rendered on top of each overlay. */
    static final List<String> COMPONENTS = List.of("monitoring", "private-ca");

    private static final Map<String, List<JsonNode>> RENDERED = new ConcurrentHashMap<>();

    private Manifests() {
    }

    /** An object of a render and the pod template it runs, if it runs one. */
    record Workload(String kind, String name, JsonNode object, JsonNode template) {

        JsonNode pod() {
            return template.path("spec");
        }

        JsonNode labels() {
            return template.path("metadata").path("labels");
        }

        String namespace() {
            return object.path("metadata").path("namespace").asText("default");
        }

        /** Containers, init containers and ephemeral containers. */
        List<JsonNode> allContainers() {
            List<JsonNode> all = new ArrayList<>();
            for (String field : List.of("initContainers", "containers", "ephemeralContainers")) {
                pod().path(field).forEach(all::add);
            }
            return all;
        }

        @Override
        public String toString() {
            return kind + " " + name;
        }
    }

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

    /** An overlay ("." is {@code k8s/} itself) with no component added. */
    static List<JsonNode> render(String overlay) {
        return render(overlay, List.of());
    }

    /** An overlay with components added, as an operator adds them to its kustomization. */
    static List<JsonNode> render(String overlay, List<String> components) {
        String key = overlay + components;
        return RENDERED.computeIfAbsent(key, k -> {
            try {
                String path = overlay.equals(".") ? "k8s" : "k8s/overlays/" + overlay;
                if (!components.isEmpty()) {
                    path = wrap(path, components);
                }
                return parse(run("kubectl", "kustomize", path));
            } catch (IOException | InterruptedException e) {
                throw new AssertionError("rendering " + key + " failed", e);
            }
        });
    }

    /** A kustomization of the overlay plus the components, under target/ (kustomize wants relative paths). */
    private static String wrap(String overlayPath, List<String> components) throws IOException {
        Path dir = ROOT.resolve("e2e-tests/target/kustomize/" + overlayPath.replace('/', '-') + "+" + String.join("+", components));
        Files.createDirectories(dir);
        // As an operator adds components to the overlay itself, whose namespace then applies to them.
        StringBuilder k = new StringBuilder("apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n")
                .append("namespace: shoal\nresources:\n  - ")
                .append(dir.relativize(ROOT.resolve(overlayPath))).append("\ncomponents:\n");
        for (String component : components) {
            k.append("  - ").append(dir.relativize(ROOT.resolve("k8s/components/" + component))).append('\n');
        }
        Files.writeString(dir.resolve("kustomization.yaml"), k);
        return ROOT.relativize(dir).toString();
    }

    static List<JsonNode> parse(String yaml) throws IOException {
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
        return find(objects, kind, name).orElseThrow(() -> new AssertionError("no " + kind + " " + name));
    }

    static Optional<JsonNode> find(List<JsonNode> objects, String kind, String name) {
        return ofKind(objects, kind).stream().filter(o -> name.equals(name(o))).findFirst();
    }

    /** A ConfigMap or Secret by its name before kustomize added the content hash. */
    static JsonNode generated(List<JsonNode> objects, String kind, String baseName) {
        Pattern hashed = Pattern.compile(Pattern.quote(baseName) + "-[a-z0-9]{10}");
        return ofKind(objects, kind).stream()
                .filter(o -> name(o).equals(baseName) || hashed.matcher(name(o)).matches())
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + baseName));
    }

    /** Everything that runs pods: their pod templates (a CronJob's through its job template). */
    static List<Workload> workloads(List<JsonNode> objects) {
        List<Workload> workloads = new ArrayList<>();
        for (JsonNode object : objects) {
            String kind = object.path("kind").asText();
            JsonNode template = switch (kind) {
                case "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job" -> object.path("spec").path("template");
                case "CronJob" -> object.path("spec").path("jobTemplate").path("spec").path("template");
                case "Pod" -> object;
                default -> null;
            };
            if (template != null) {
                workloads.add(new Workload(kind, name(object), object, template));
            }
        }
        return workloads;
    }

    static Workload workload(List<JsonNode> objects, String name) {
        return workloads(objects).stream().filter(w -> w.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no workload " + name));
    }

    /** A workload's first (main) container. */
    static JsonNode container(List<JsonNode> objects, String workload) {
        return workload(objects, workload).pod().path("containers").get(0);
    }

    /** The environment of a workload's main container, see {@link #environment(List, JsonNode)}. */
    static Map<String, String> environment(List<JsonNode> objects, String workload) {
        return environment(objects, container(objects, workload));
    }

    /** Whether a Service's or policy's label selector (matchLabels or a plain map) matches labels. */
    static boolean selects(JsonNode selector, JsonNode labels) {
        if (selector == null || selector.isMissingNode() || selector.isNull()) {
            return false;
        }
        JsonNode matchLabels = selector.has("matchLabels") || selector.has("matchExpressions")
                ? selector.path("matchLabels") : selector;
        var fields = matchLabels.fields();
        while (fields.hasNext()) {
            var field = fields.next();
            if (!field.getValue().asText().equals(labels.path(field.getKey()).asText(null))) {
                return false;
            }
        }
        for (JsonNode expression : selector.path("matchExpressions")) {
            String value = labels.path(expression.path("key").asText()).asText(null);
            List<String> values = new ArrayList<>();
            expression.path("values").forEach(v -> values.add(v.asText()));
            boolean ok = switch (expression.path("operator").asText()) {
                case "In" -> value != null && values.contains(value);
                case "NotIn" -> value == null || !values.contains(value);
                case "Exists" -> value != null;
                case "DoesNotExist" -> value == null;
                default -> throw new AssertionError("unknown selector operator " + expression);
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** The environment a container gets from its ConfigMaps (envFrom) and plain env values, by name. */
    static Map<String, String> environment(List<JsonNode> objects, JsonNode container) {
        Map<String, String> env = new java.util.LinkedHashMap<>();
        for (JsonNode from : container.path("envFrom")) {
            String configMap = from.path("configMapRef").path("name").asText(null);
            if (configMap != null) {
                find(objects, "ConfigMap", configMap).ifPresent(cm ->
                        cm.path("data").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText())));
            }
        }
        for (JsonNode var : container.path("env")) {
            if (var.has("value")) {
                env.put(var.path("name").asText(), var.path("value").asText());
            }
        }
        return env;
    }
}
