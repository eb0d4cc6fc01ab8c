package io.shoal.e2e.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The PromQL in k8s/components/monitoring (the Grafana dashboard and the alerting rules) and the metric names
 * it reads: ShoalLauncherIT checks each one is registered by a running service, so a dashboard panel or an
 * alert can never watch a name nobody exports.
 */
public final class MonitoringQueries {

    static final Path COMPONENT = Manifests.ROOT.resolve("k8s/components/monitoring");
    /** Names that come from Prometheus itself (up) and from kube-state-metrics, not from Shoal's services. */
    public static final Set<String> NOT_SHOALS = Set.of("up", "kube_deployment_status_replicas_available",
            "kube_deployment_spec_replicas");
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "by", "without", "on", "ignoring", "group_left",
            "group_right", "bool", "offset", "inf", "nan");

    private MonitoringQueries() {
    }

    /** Panel title to its queries. */
    static Map<String, List<String>> dashboard() throws IOException {
        JsonNode dashboard = Manifests.JSON.readTree(COMPONENT.resolve("shoal-dashboard.json").toFile());
        Map<String, List<String>> panels = new LinkedHashMap<>();
        for (JsonNode panel : dashboard.path("panels")) {
            List<String> expressions = new ArrayList<>();
            panel.path("targets").forEach(t -> expressions.add(t.path("expr").asText()));
            panels.put(panel.path("title").asText(), expressions);
        }
        return panels;
    }

    /** Alert name to its expression. */
    static Map<String, JsonNode> alerts() throws IOException {
        JsonNode rule = Manifests.YAML.readTree(COMPONENT.resolve("prometheus-rule.yaml").toFile());
        Map<String, JsonNode> alerts = new LinkedHashMap<>();
        for (JsonNode group : rule.path("spec").path("groups")) {
            for (JsonNode alert : group.path("rules")) {
                alerts.put(alert.path("alert").asText(), alert);
            }
        }
        return alerts;
    }

    /** Every metric name the dashboard and the alerts read that a Shoal service must export. */
    public static Set<String> shoalMetricNames() throws IOException {
        Set<String> names = new TreeSet<>();
        dashboard().values().forEach(expressions -> expressions.forEach(e -> names.addAll(metricNames(e))));
        alerts().values().forEach(alert -> names.addAll(metricNames(alert.path("expr").asText())));
        names.removeAll(NOT_SHOALS);
        return names;
    }

    /**
     * The metric names in a PromQL expression: identifiers that are not functions (followed by a parenthesis),
     * keywords, label names (inside braces or a by/without/on list), range durations or dashboard variables.
     */
    static Set<String> metricNames(String promql) {
        String stripped = promql
                .replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\$\\{?\\w+}?", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*").matcher(stripped);
        while (m.find()) {
            String token = m.group();
            String rest = stripped.substring(m.end()).stripLeading();
            boolean number = m.start() > 0 && Character.isDigit(stripped.charAt(m.start() - 1));
            if (!rest.startsWith("(") && !KEYWORDS.contains(token.toLowerCase(java.util.Locale.ROOT)) && !number) {
                names.add(token);
            }
        }
        return names;
    }

    /** Whether parentheses, braces and brackets pair up: what a typo in a hand-written expression breaks first. */
    static boolean balanced(String promql) {
        StringBuilder open = new StringBuilder();
        for (char c : promql.replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "").toCharArray()) {
            int kind = "({[".indexOf(c);
            if (kind >= 0) {
                open.append(c);
            } else if (")}]".indexOf(c) >= 0) {
                if (open.isEmpty() || "({[".indexOf(open.charAt(open.length() - 1)) != ")}]".indexOf(c)) {
                    return false;
                }
                open.setLength(open.length() - 1);
            }
        }
        return open.isEmpty();
    }
}
