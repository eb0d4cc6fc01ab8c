package io.shoal.e2e.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the Deployment, DaemonSet and disruption controllers would do with a render on the number of nodes its
 * namespace says it is sized for ({@code shoal.io/nodes}): whether every pod can be placed, whether a rolling
 * update can always take its next step, whether a node can always be drained.
 */
final class Rollouts {

    static final String NODES = "shoal.io/nodes";

    private Rollouts() {
    }

    /** Everything that would leave pods Pending, a rollout stuck or a drain blocked; empty when none. */
    static List<String> problems(List<JsonNode> objects) {
        List<String> problems = new ArrayList<>();
        int nodes = nodes(objects);
        for (JsonNode deployment : Manifests.ofKind(objects, "Deployment")) {
            String name = Manifests.name(deployment);
            Optional<JsonNode> hpa = autoscaler(objects, "Deployment", name);
            if (hpa.isPresent() && deployment.path("spec").has("replicas")) {
                problems.add("Deployment " + name + " sets replicas although an autoscaler owns them (every apply would reset them)");
            }
            int most = hpa.map(h -> h.path("spec").path("maxReplicas").asInt()).orElse(deployment.path("spec").path("replicas").asInt(1));
            int least = hpa.map(h -> h.path("spec").path("minReplicas").asInt(1)).orElse(deployment.path("spec").path("replicas").asInt(1));
            JsonNode template = deployment.path("spec").path("template");
            boolean onePerNode = onePerNode(template);
            if (onePerNode && most > nodes) {
                problems.add("Deployment " + name + ": up to " + most + " pods, one a node, on " + nodes + " nodes: some stay Pending");
            }
            JsonNode strategy = deployment.path("spec").path("strategy");
            if (!"Recreate".equals(strategy.path("type").asText("RollingUpdate"))) {
                for (int replicas = least; replicas <= most; replicas++) {
                    int surge = resolve(strategy.path("rollingUpdate").path("maxSurge"), replicas, true);
                    int unavailable = resolve(strategy.path("rollingUpdate").path("maxUnavailable"), replicas, false);
                    if (surge == 0 && unavailable == 0) {
                        problems.add("Deployment " + name + ": maxSurge and maxUnavailable both 0 at " + replicas + " replicas");
                    } else if (onePerNode && unavailable == 0 && replicas + 1 > nodes) {
                        problems.add("Deployment " + name + ": a rollout of " + replicas + " pods (one a node, " + nodes
                                + " nodes) waits forever for a surge pod that cannot be placed (maxUnavailable 0)");
                    }
                }
            }
            pdbProblems(objects, "Deployment " + name, template, least, most, problems);
        }
        for (JsonNode set : Manifests.ofKind(objects, "StatefulSet")) {
            int replicas = set.path("spec").path("replicas").asInt(1);
            pdbProblems(objects, "StatefulSet " + Manifests.name(set), set.path("spec").path("template"), replicas, replicas, problems);
        }
        for (JsonNode daemons : Manifests.ofKind(objects, "DaemonSet")) {
            JsonNode maxSurge = daemons.path("spec").path("updateStrategy").path("rollingUpdate").path("maxSurge");
            int surge = maxSurge.isMissingNode() ? 0 : resolve(maxSurge, nodes, true);
            if (surge > 0 && onePerNode(daemons.path("spec").path("template"))) {
                problems.add("DaemonSet " + Manifests.name(daemons) + ": a surge pod on a node whose port its old pod holds never starts");
            }
        }
        return problems;
    }

    /** A replicated workload has a PodDisruptionBudget, and it lets a drain evict at least one pod. */
    private static void pdbProblems(List<JsonNode> objects, String what, JsonNode template, int least, int most,
                                    List<String> problems) {
        List<JsonNode> budgets = Manifests.ofKind(objects, "PodDisruptionBudget").stream()
                .filter(b -> Manifests.selects(b.path("spec").path("selector"), template.path("metadata").path("labels"))).toList();
        if (budgets.isEmpty() && most > 1) {
            problems.add(what + " has up to " + most + " replicas but no PodDisruptionBudget: a drain may take them all");
        }
        for (JsonNode budget : budgets) {
            JsonNode spec = budget.path("spec");
            int allowed = spec.has("maxUnavailable") ? resolve(spec.path("maxUnavailable"), least, false)
                    : least - resolve(spec.path("minAvailable"), least, true);
            if (allowed < 1) {
                problems.add(what + ": PodDisruptionBudget " + Manifests.name(budget) + " allows no eviction at " + least
                        + " replicas, so no node can be drained");
            }
        }
    }

    static int nodes(List<JsonNode> objects) {
        for (JsonNode namespace : Manifests.ofKind(objects, "Namespace")) {
            JsonNode nodes = namespace.path("metadata").path("annotations").path(NODES);
            if (!nodes.isMissingNode()) {
                return Integer.parseInt(nodes.asText());
            }
        }
        throw new AssertionError("no Namespace says how many nodes it is sized for (" + NODES + ")");
    }

    /** A pod that no node can hold two of: a host port, or a required anti-affinity to its own kind per node. */
    static boolean onePerNode(JsonNode template) {
        for (JsonNode container : template.path("spec").path("containers")) {
            for (JsonNode port : container.path("ports")) {
                if (port.path("hostPort").asInt(0) != 0) {
                    return true;
                }
            }
        }
        for (JsonNode term : template.path("spec").path("affinity").path("podAntiAffinity")
                .path("requiredDuringSchedulingIgnoredDuringExecution")) {
            if ("kubernetes.io/hostname".equals(term.path("topologyKey").asText())
                    && Manifests.selects(term.path("labelSelector"), template.path("metadata").path("labels"))) {
                return true;
            }
        }
        return false;
    }

    private static Optional<JsonNode> autoscaler(List<JsonNode> objects, String kind, String name) {
        return Manifests.ofKind(objects, "HorizontalPodAutoscaler").stream()
                .filter(h -> kind.equals(h.path("spec").path("scaleTargetRef").path("kind").asText())
                        && name.equals(h.path("spec").path("scaleTargetRef").path("name").asText()))
                .findFirst();
    }

    /**
     * An int-or-percent of {@code replicas} as the controllers read it: a surge rounds up, unavailability
     * down; unset means Kubernetes' default of 25%.
     */
    static int resolve(JsonNode value, int replicas, boolean roundUp) {
        String text = value.isMissingNode() || value.isNull() ? "25%" : value.asText();
        if (!text.endsWith("%")) {
            return Integer.parseInt(text);
        }
        double share = Integer.parseInt(text.substring(0, text.length() - 1)) * replicas / 100.0;
        return (int) (roundUp ? Math.ceil(share) : Math.floor(share));
    }
}
