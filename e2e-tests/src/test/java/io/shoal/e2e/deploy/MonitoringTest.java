package io.shoal.e2e.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.shoal.infra.ShoalService;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * components/monitoring: a ServiceMonitor for every service at the port its metrics answer on (and that the
 * NetworkPolicies open to the monitoring namespace), the alerts an operator needs, and a Grafana dashboard the
 * sidecar picks up. That every metric they query exists is ShoalLauncherIT's check, against running services.
 */
class MonitoringTest {

    static List<String> overlays() {
        return Manifests.OVERLAYS;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void everyServiceIsScrapedWhereItsMetricsAnswerAndThePoliciesLetPrometheusIn(String overlay) {
        List<JsonNode> objects = Manifests.render(overlay, List.of("monitoring"));
        NetworkPolicies policies = new NetworkPolicies(objects);
        List<NetworkPolicies.Endpoint> pods = NetworkPolicies.pods(objects, "10.244");
        NetworkPolicies.Endpoint prometheus = NetworkPolicies.Endpoint.pod("prometheus", "monitoring",
                Manifests.JSON.createObjectNode().put("app.kubernetes.io/name", "prometheus"), "10.244.9.9", List.of());
        for (ShoalService service : ShoalService.values()) {
            JsonNode monitor = Manifests.named(objects, "ServiceMonitor", service.module());
            assertEquals("shoal", monitor.path("metadata").path("namespace").asText(), "beside the Services it selects");
            JsonNode endpoint = monitor.path("spec").path("endpoints").get(0);
            assertEquals("/q/metrics", endpoint.path("path").asText());
            String portName = endpoint.path("port").asText();
            JsonNode target = Manifests.ofKind(objects, "Service").stream()
                    .filter(s -> Manifests.selects(monitor.path("spec").path("selector"), s.path("metadata").path("labels")))
                    .filter(s -> s.path("spec").path("ports").findValuesAsText("name").contains(portName))
                    .findFirst().orElseThrow(() -> new AssertionError(service.module() + ": no Service has port " + portName));
            int port = 0;
            for (JsonNode p : target.path("spec").path("ports")) {
                if (p.path("name").asText().equals(portName)) {
                    port = p.path("port").asInt();
                }
            }
            assertEquals(service.defaultManagementPort(), port, service.module() + " is scraped where its metrics answer");
            NetworkPolicies.Endpoint pod = pods.stream().filter(p -> p.name().equals(service.module())).findFirst().orElseThrow();
            assertTrue(policies.allowed(prometheus, pod, port, "TCP"), "the monitoring namespace may scrape " + service.module());
        }
    }

    @Test
    void theAlertsAnOperatorNeedsAreThereAndReadable() throws IOException {
        Map<String, JsonNode> alerts = MonitoringQueries.alerts();
        assertTrue(alerts.keySet().containsAll(Set.of("ShoalServiceDown", "ShoalServiceNotReady", "ShoalSeederWithoutAssignment",
                "ShoalTrackerFailing", "ShoalTrackerFailuresRising", "ShoalPieceVerificationFailures", "ShoalUploadErrorRate")),
                alerts.keySet().toString());
        alerts.forEach((name, alert) -> {
            String expr = alert.path("expr").asText();
            assertTrue(MonitoringQueries.balanced(expr), name + ": unbalanced " + expr);
            assertFalse(MonitoringQueries.metricNames(expr).isEmpty(), name + " reads no metric");
            assertTrue(Set.of("critical", "warning").contains(alert.path("labels").path("severity").asText()), name + " severity");
            assertFalse(alert.path("annotations").path("summary").asText().isBlank(), name + " says nothing");
        });
    }

    @Test
    void theDashboardShowsWhatAnOperatorLooksAtAndTheSidecarFindsIt() throws IOException {
        JsonNode configMap = Manifests.generated(Manifests.render("production", List.of("monitoring")), "ConfigMap", "shoal-grafana-dashboard");
        assertEquals("1", configMap.path("metadata").path("labels").path("grafana_dashboard").asText(), "the sidecar's label");
        JsonNode dashboard = Manifests.JSON.readTree(configMap.path("data").path("shoal-dashboard.json").asText());
        assertEquals("Shoal", dashboard.path("title").asText());
        Map<String, List<String>> panels = MonitoringQueries.dashboard();
        for (String title : List.of("Uploads by outcome", "Announces per second", "Swarms", "Peers", "Bytes served by seeders",
                "Piece cache hit rate", "Object store read rate")) {
            assertTrue(panels.containsKey(title), "no panel " + title + " in " + panels.keySet());
        }
        panels.forEach((title, expressions) -> {
            assertFalse(expressions.isEmpty(), title + " has no query");
            expressions.forEach(e -> assertTrue(MonitoringQueries.balanced(e) && !MonitoringQueries.metricNames(e).isEmpty(), title + ": " + e));
        });
    }

    @Test
    void metricNamesAreReadOutOfPromQlAndNothingElse() {
        assertEquals(Set.of("shoal_gateway_uploads_total"), MonitoringQueries.metricNames(
                "sum by (outcome) (rate(shoal_gateway_uploads_total{namespace=\"$namespace\", outcome=~\"a|b\"}[$__rate_interval]))"));
        assertEquals(Set.of("a_total", "b_total"), MonitoringQueries.metricNames(
                "sum(rate(a_total[15m])) / clamp_min(sum(rate(b_total[15m])), 1e-9) > 0.05"));
        assertEquals(Set.of("up"), MonitoringQueries.metricNames("up{job=~\"x|y\"} == 0"));
        assertFalse(MonitoringQueries.balanced("sum(rate(x[5m])"));
    }
}
