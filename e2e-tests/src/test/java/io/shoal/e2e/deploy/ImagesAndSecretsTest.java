package io.shoal.e2e.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.shoal.infra.ShoalService;
import io.shoal.platform.PlaceholderSecrets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Images a cluster and a Docker host can pull (a registry named in every reference, MinIO from quay.io by
 * digest, Shoal's own under each overlay's registry, the one Dockerfile), and secrets that cannot ship: every
 * example secret in the repository is a placeholder the services refuse.
 */
class ImagesAndSecretsTest {

    static Stream<org.junit.jupiter.params.provider.Arguments> renders() {
        return DeploymentManifestsTest.renders();
    }

    /** The registry part of an image reference: its first component when that names a host. */
    static String registry(String image) {
        int slash = image.indexOf('/');
        String first = slash < 0 ? "" : image.substring(0, slash);
        return first.contains(".") || first.contains(":") || first.equals("localhost") ? first : "";
    }

    static String envFileValue(String name) throws IOException {
        Properties env = new Properties();
        try (var in = Files.newBufferedReader(Manifests.ROOT.resolve(".env"))) {
            env.load(in);
        }
        return env.getProperty(name);
    }

    @ParameterizedTest(name = "{0} + {1}")
    @MethodSource("renders")
    void everyImageNamesItsRegistryAndMinioComesFromQuayByDigest(String overlay, List<String> components) throws IOException {
        List<JsonNode> objects = Manifests.render(overlay, components);
        for (Manifests.Workload workload : Manifests.workloads(objects)) {
            for (JsonNode container : workload.allContainers()) {
                String image = container.path("image").asText();
                assertFalse(registry(image).isEmpty(), overlay + ": " + workload + " pulls " + image + " from an implied registry");
                if (image.contains("minio/")) {
                    assertTrue(image.startsWith("quay.io/minio/") && image.contains("@sha256:"),
                            overlay + ": " + image + " (MinIO's images left Docker Hub: quay.io, by digest)");
                }
            }
        }
        String tag = envFileValue("SHOAL_TAG");
        for (ShoalService service : ShoalService.values()) {
            String image = Manifests.container(objects, service.module()).path("image").asText();
            assertTrue(image.matches("[^/]+(/[^/]+)*/shoal/" + service.module() + ":" + Pattern.quote(tag)),
                    overlay + ": " + image + " is <registry>/shoal/" + service.module() + ":" + tag + " (the tag as .env's SHOAL_TAG)");
        }
    }

    @Test
    void eachOverlayPutsItsRegistryInFrontOfShoalsImagesInOnePlace() throws IOException {
        for (String overlay : List.of("single-node", "production")) {
            JsonNode kustomization = Manifests.YAML.readTree(Manifests.ROOT.resolve("k8s/overlays/" + overlay + "/kustomization.yaml").toFile());
            Set<String> registries = new HashSet<>();
            for (JsonNode image : kustomization.path("images")) {
                registries.add(image.path("newName").asText().replaceAll("/shoal/[^/]+$", ""));
            }
            assertEquals(1, registries.size(), overlay + ": one registry for the four images, in its images: list");
        }
    }

    /** Example secrets, wherever the repository keeps them: .env, the overlays' *.env, the base's generator. */
    static Map<String, String> exampleSecrets() throws IOException {
        Map<String, String> secrets = new java.util.TreeMap<>();
        Pattern secretKey = Pattern.compile("(?i).*(token|secret|password).*");
        List<Path> files = new ArrayList<>(List.of(Manifests.ROOT.resolve(".env")));
        try (Stream<Path> envs = Files.walk(Manifests.ROOT.resolve("k8s"))) {
            envs.filter(p -> p.toString().endsWith(".env") && !p.toString().contains("/base/config/")).forEach(files::add);
        }
        for (Path file : files) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                Matcher m = Pattern.compile("^([A-Za-z0-9_.-]+)=(.*)$").matcher(line);
                if (m.matches() && secretKey.matcher(m.group(1)).matches() && !m.group(1).endsWith("_USER")) {
                    secrets.put(Manifests.ROOT.relativize(file) + " " + m.group(1), m.group(2));
                }
            }
        }
        JsonNode base = Manifests.YAML.readTree(Manifests.ROOT.resolve("k8s/base/kustomization.yaml").toFile());
        for (JsonNode generator : base.path("secretGenerator")) {
            for (JsonNode literal : generator.path("literals")) {
                String[] pair = literal.asText().split("=", 2);
                if (secretKey.matcher(pair[0]).matches()) {
                    secrets.put("k8s/base " + generator.path("name").asText() + " " + pair[0], pair[1]);
                }
            }
        }
        return secrets;
    }

    @Test
    void everyExampleSecretIsAPlaceholderTheServicesRefuse() throws IOException {
        Map<String, String> secrets = exampleSecrets();
        assertTrue(secrets.size() >= 15, "found the example secrets: " + secrets.keySet());
        secrets.forEach((where, value) -> assertTrue(PlaceholderSecrets.isPlaceholder(value),
                where + " = " + value + " would be accepted by a service: example secrets must contain " + PlaceholderSecrets.MARKER));
    }

    /** What the rendered Secrets hold is the examples, never a real secret that slipped into the repository. */
    @ParameterizedTest(name = "{0} + {1}")
    @MethodSource("renders")
    void renderedSecretsHoldOnlyPlaceholders(String overlay, List<String> components) {
        for (JsonNode secret : Manifests.ofKind(Manifests.render(overlay, components), "Secret")) {
            secret.path("data").fields().forEachRemaining(field -> {
                if (field.getKey().toLowerCase(Locale.ROOT).matches(".*(token|secret|password).*")) {
                    String value = new String(Base64.getDecoder().decode(field.getValue().asText()), StandardCharsets.UTF_8);
                    assertTrue(PlaceholderSecrets.isPlaceholder(value), Manifests.name(secret) + "/" + field.getKey());
                }
            });
        }
    }

    @Test
    void oneDockerfileBuildsEveryServiceOnAPinnedBaseWithCodeOwnedByRoot() throws IOException {
        Path dockerfile = Manifests.ROOT.resolve("services/Dockerfile");
        String text = Files.readString(dockerfile);
        assertTrue(text.matches("(?s).*ARG BASE_IMAGE=\\S+@sha256:[0-9a-f]{64}\\n.*FROM \\$\\{BASE_IMAGE}.*"), "the base image is pinned by digest");
        assertTrue(text.contains("ARG SERVICE"), "the service is a build argument");
        assertFalse(text.contains("--chown"), "the application belongs to root, read-only to the service's user");
        assertTrue(text.matches("(?s).*\\nUSER 10001(:10001)?\\n.*"), "runs as the unprivileged user");
        assertTrue(text.matches("(?s).*\\nEXPOSE \\S+.*"), "says which ports it listens on");
        try (Stream<Path> files = Files.walk(Manifests.ROOT.resolve("services"))) {
            List<Path> others = files.filter(p -> p.getFileName().toString().startsWith("Dockerfile") && !p.equals(dockerfile))
                    .filter(p -> !p.toString().contains("/target/")).toList();
            assertEquals(List.of(), others, "one Dockerfile for all four services");
        }
        String ignore = Files.readString(Manifests.ROOT.resolve(".dockerignore"));
        assertTrue(ignore.contains("\n*\n") && ignore.contains("!services/*/target/quarkus-app/"), "the build context is the apps only");
    }
}
