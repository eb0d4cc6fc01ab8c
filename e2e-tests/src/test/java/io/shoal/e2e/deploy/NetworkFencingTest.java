package io.shoal.e2e.deploy;

import static io.shoal.e2e.deploy.NetworkPolicies.flow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.shoal.e2e.deploy.NetworkPolicies.Endpoint;
import io.shoal.e2e.deploy.NetworkPolicies.Port;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The NetworkPolicies allow exactly the flows the design has: the table below, written from DESIGN.md, not
 * from the policies. Every pod of the render, a host of the data center, an address on the internet, a pod in
 * the monitoring namespace, one in another namespace and kube-dns try every port of every other; what the
 * policies let through must be the table, no more and no less.
 */
class NetworkFencingTest {

    /** Sources the policies do not restrict on their side: anyone outside the namespace. */
    static final List<String> OUTSIDE = List.of("dc-host", "internet", "monitoring", "other-namespace", "kube-dns");
    static final List<String> SHOAL = List.of("peer-gateway", "metadata", "tracker", "seeder-worker");

    /** The public edges: peers and operators from anywhere. */
    static void publicEdges(Set<String> flows, List<String> alsoOutside) {
        List<String> outside = new ArrayList<>(OUTSIDE);
        outside.addAll(alsoOutside);
        for (String from : outside) {
            flows.add(flow(from, "peer-gateway", 8080, "TCP"));
            flows.add(flow(from, "tracker", 6969, "TCP"));
            flows.add(flow(from, "tracker", 6969, "UDP"));
            flows.add(flow(from, "tracker", 6970, "UDP"));
            flows.add(flow(from, "seeder-worker", 6881, "TCP"));
            flows.add(flow(from, "seeder-worker", 6881, "UDP"));
        }
        // Prometheus scrapes the ports the public edges do not already open.
        flows.add(flow("monitoring", "metadata", 9081, "TCP"));
        flows.add(flow("monitoring", "seeder-worker", 8083, "TCP"));
    }

    /**
     * The seeder dials peers and announces to trackers on any address and TCP port: outside, every port tried;
     * inside, what accepts it (the public edges and its backing services).
     */
    static void seederReachesPeers(Set<String> flows, List<String> outsideDestinations) {
        for (String to : outsideDestinations) {
            for (Port port : NetworkPolicies.OUTSIDE_PORTS) {
                if (port.protocol().equals("TCP")) {
                    flows.add(flow("seeder-worker", to, port.number(), "TCP"));
                }
            }
        }
        flows.add(flow("seeder-worker", "peer-gateway", 8080, "TCP"));
        flows.add(flow("seeder-worker", "tracker", 6969, "TCP"));
        flows.add(flow("seeder-worker", "kube-dns", 53, "TCP"));
    }

    /**
     * BEP 5: the tracker's and the workers' DHT nodes query nodes on any address and UDP port: outside, every port
     * tried (name servers' too: a DHT node cannot be told apart from a host by its port); inside, what accepts UDP.
     */
    static void dhtNodesReachNodes(Set<String> flows, List<String> outsideDestinations) {
        for (String from : List.of("tracker", "seeder-worker")) {
            for (String to : outsideDestinations) {
                for (Port port : NetworkPolicies.OUTSIDE_PORTS) {
                    if (port.protocol().equals("UDP")) {
                        flows.add(flow(from, to, port.number(), "UDP"));
                    }
                }
            }
        }
        flows.add(flow("tracker", "seeder-worker", 6881, "UDP"));
        flows.add(flow("seeder-worker", "tracker", 6969, "UDP"));
        flows.add(flow("seeder-worker", "tracker", 6970, "UDP"));
    }

    static void dns(Set<String> flows, List<String> pods) {
        for (String pod : pods) {
            flows.add(flow(pod, "kube-dns", 53, "UDP"));
            flows.add(flow(pod, "kube-dns", 53, "TCP"));
        }
    }

    @Test
    void singleNodeAllowsExactlyTheDesignedFlows() {
        Set<String> expected = new TreeSet<>();
        publicEdges(expected, List.of());
        for (String service : SHOAL) {
            expected.add(flow(service, "kafka", 9092, "TCP"));
        }
        expected.add(flow("peer-gateway", "metadata", 8081, "TCP"));
        expected.add(flow("peer-gateway", "tracker", 6969, "TCP"));
        for (String service : List.of("peer-gateway", "metadata", "seeder-worker")) {
            expected.add(flow(service, "minio", 9000, "TCP"));
        }
        expected.add(flow("metadata", "postgres", 5432, "TCP"));
        seederReachesPeers(expected, List.of("dc-host", "internet"));
        dhtNodesReachNodes(expected, List.of("dc-host", "internet"));
        dns(expected, List.of("peer-gateway", "metadata", "tracker", "seeder-worker", "kafka", "minio", "postgres"));

        assertFlows(expected, actual(Manifests.render("single-node"), List.of()));
    }

    @Test
    void productionReachesTheDataCentersKafkaAndStoreAndNothingElse() {
        Set<String> expected = new TreeSet<>();
        publicEdges(expected, List.of("external-kafka", "external-s3"));
        for (String service : SHOAL) {
            expected.add(flow(service, "external-kafka", 9092, "TCP"));
        }
        for (String service : List.of("peer-gateway", "metadata", "seeder-worker")) {
            expected.add(flow(service, "external-s3", 443, "TCP"));
            expected.add(flow(service, "external-s3", 9000, "TCP"));
        }
        expected.add(flow("peer-gateway", "metadata", 8081, "TCP"));
        expected.add(flow("peer-gateway", "tracker", 6969, "TCP"));
        expected.add(flow("metadata", "postgres", 5432, "TCP"));
        seederReachesPeers(expected, List.of("dc-host", "internet", "external-kafka", "external-s3"));
        dhtNodesReachNodes(expected, List.of("dc-host", "internet", "external-kafka", "external-s3"));
        dns(expected, List.of("peer-gateway", "metadata", "tracker", "seeder-worker", "postgres"));

        // components/external-backing's documentation ranges stand for the data center's brokers and store.
        assertFlows(expected, actual(Manifests.render("production"),
                List.of(Endpoint.outside("external-kafka", "192.0.2.10"), Endpoint.outside("external-s3", "198.51.100.10"))));
    }

    @Test
    void metadatasInternalApiIsClosedToEveryoneButTheGateway() {
        List<JsonNode> objects = Manifests.render("production");
        NetworkPolicies policies = new NetworkPolicies(objects);
        List<Endpoint> endpoints = endpoints(objects, List.of());
        Endpoint metadata = endpoints.stream().filter(e -> e.name().equals("metadata")).findFirst().orElseThrow();
        for (Endpoint from : endpoints) {
            if (from != metadata) {
                assertEquals(from.name().equals("peer-gateway"), policies.allowed(from, metadata, 8081, "TCP"), from + " -> metadata:8081");
            }
        }
    }

    /** The evaluation sees a rule that opens too much, and one that is missing. */
    @Test
    void theCheckFindsAPolicyThatOpensTooMuchOrTooLittle() throws Exception {
        List<JsonNode> opened = Manifests.parse(Manifests.YAML.writeValueAsString(Manifests.render("single-node")));
        ((ObjectNode) Manifests.named(opened, "NetworkPolicy", "metadata").path("spec").path("ingress").get(0)).remove("from");
        assertTrue(actual(opened, List.of()).contains(flow("dc-host", "metadata", 8081, "TCP")), "the internal API opened");
        List<JsonNode> closed = Manifests.parse(Manifests.YAML.writeValueAsString(Manifests.render("single-node")));
        closed.removeIf(o -> Manifests.name(o).equals("dns") && o.path("kind").asText().equals("NetworkPolicy"));
        // (metadata: the tracker's and the workers' DHT nodes may send UDP anywhere, name servers included)
        assertFalse(actual(closed, List.of()).contains(flow("metadata", "kube-dns", 53, "UDP")), "name lookups cut off");
    }

    static Set<String> actual(List<JsonNode> objects, List<Endpoint> extra) {
        return new TreeSet<>(new NetworkPolicies(objects).allowedFlows(endpoints(objects, extra), "shoal"));
    }

    static void assertFlows(Set<String> expected, Set<String> actual) {
        Set<String> unexpected = new TreeSet<>(actual);
        unexpected.removeAll(expected);
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(actual);
        assertEquals("", (unexpected.isEmpty() ? "" : "allowed, not in the table: " + unexpected + "\n")
                + (missing.isEmpty() ? "" : "in the table, not allowed: " + missing));
    }

    static List<Endpoint> endpoints(List<JsonNode> objects, List<Endpoint> extra) {
        List<Endpoint> endpoints = new ArrayList<>(NetworkPolicies.pods(objects, "10.244"));
        endpoints.add(Endpoint.outside("dc-host", "10.20.30.40"));
        endpoints.add(Endpoint.outside("internet", "203.0.113.7"));
        endpoints.add(Endpoint.pod("monitoring", "monitoring",
                JsonNodeFactory.instance.objectNode().put("app.kubernetes.io/name", "prometheus"), "10.244.9.1", List.of()));
        endpoints.add(Endpoint.pod("other-namespace", "default",
                JsonNodeFactory.instance.objectNode().put("app", "something-else"), "10.244.9.2", List.of()));
        endpoints.add(Endpoint.pod("kube-dns", "kube-system", JsonNodeFactory.instance.objectNode().put("k8s-app", "kube-dns"),
                "10.244.9.3", List.of(new Port("dns", 53, "UDP"), new Port("dns-tcp", 53, "TCP"))));
        endpoints.addAll(extra);
        return endpoints;
    }
}
