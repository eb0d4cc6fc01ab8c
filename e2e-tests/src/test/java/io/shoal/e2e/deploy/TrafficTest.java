package io.shoal.e2e.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * How hosts outside the cluster reach Shoal, read from the Services and Ingresses: peers reach the tracker and
 * the seeders with their own addresses intact, and every URL Shoal writes into a .torrent or a magnet link
 * (the gateway's public URL, the announce URLs) answers at a port a Service or Ingress really opens.
 */
class TrafficTest {

    static List<String> overlays() {
        return Manifests.OVERLAYS;
    }

    /** The Services that open a pod port to hosts outside the cluster (NodePort or LoadBalancer). */
    static List<JsonNode> externalServices(List<JsonNode> objects, String workload) {
        JsonNode labels = Manifests.workload(objects, workload).labels();
        return Manifests.ofKind(objects, "Service").stream()
                .filter(s -> List.of("NodePort", "LoadBalancer").contains(s.path("spec").path("type").asText("ClusterIP")))
                .filter(s -> Manifests.selects(s.path("spec").path("selector"), labels)).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void peersReachTheTrackerAndSeedersWithTheirOwnAddresses(String overlay) {
        List<JsonNode> objects = Manifests.render(overlay);
        for (String workload : List.of("tracker", "seeder-worker")) {
            List<JsonNode> services = externalServices(objects, workload);
            assertFalse(services.isEmpty(), overlay + ": nothing outside the cluster reaches " + workload);
            for (JsonNode service : services) {
                // Cluster would source-NAT every announce to a node address and move UDP clients between replicas.
                assertEquals("Local", service.path("spec").path("externalTrafficPolicy").asText("Cluster"),
                        overlay + ": Service " + Manifests.name(service) + " rewrites peers' addresses");
            }
        }
        for (JsonNode service : externalServices(objects, "tracker")) {
            if (service.path("spec").path("type").asText().equals("LoadBalancer")) {
                JsonNode ranges = service.path("spec").path("loadBalancerSourceRanges");
                assertFalse(ranges.isEmpty(), overlay + ": the tracker's load balancer is open to the internet");
                ranges.forEach(r -> assertTrue(isPrivate(r.asText()), overlay + ": tracker open to " + r.asText()));
                Set<String> protocols = Set.copyOf(service.path("spec").path("ports").findValuesAsText("protocol"));
                assertEquals(Set.of("TCP", "UDP"), protocols, overlay + ": the tracker answers HTTP and UDP at one address");
            }
        }
        for (JsonNode container : Manifests.workload(objects, "tracker").pod().path("containers")) {
            for (JsonNode port : container.path("ports")) {
                assertFalse(port.has("hostPort"), overlay + ": the tracker uses a hostPort");
            }
        }
    }

    /** The seeder tells trackers where hosts reach it: its node's address and the port its Service opens there. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void seedersAdvertiseWhereHostsReachThem(String overlay) {
        List<JsonNode> objects = Manifests.render(overlay);
        JsonNode container = Manifests.container(objects, "seeder-worker");
        JsonNode host = null;
        for (JsonNode var : container.path("env")) {
            if (var.path("name").asText().equals("SHOAL_SEEDER_ADVERTISED_HOST")) {
                host = var;
            }
        }
        assertTrue(host != null, overlay + ": seeders advertise no host");
        assertEquals("status.hostIP", host.path("valueFrom").path("fieldRef").path("fieldPath").asText(),
                "seeders advertise their node's address");
        String advertised = Manifests.environment(objects, container).get("SHOAL_SEEDER_ADVERTISED_PORT");
        List<Integer> nodePorts = new ArrayList<>();
        for (JsonNode service : externalServices(objects, "seeder-worker")) {
            assertEquals("NodePort", service.path("spec").path("type").asText(), "seeders are reached at their node's address");
            for (JsonNode port : service.path("spec").path("ports")) {
                if (port.path("targetPort").asText().equals("peer-wire")) {
                    nodePorts.add(port.path("nodePort").asInt());
                }
            }
        }
        assertEquals(List.of(Integer.parseInt(advertised)), nodePorts, overlay + ": the advertised port is the peer wire's nodePort");
    }

    /** Every URL Shoal hands to clients answers where a Service or an Ingress opens that port for that pod. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void theUrlsInTorrentsAndMagnetLinksAreReachable(String overlay) {
        List<JsonNode> objects = Manifests.render(overlay);
        Map<String, String> gateway = Manifests.environment(objects, "peer-gateway");
        assertReachable(objects, "peer-gateway", URI.create(gateway.get("SHOAL_GATEWAY_PUBLIC_URL")), overlay);
        Map<String, String> metadata = Manifests.environment(objects, "metadata");
        for (String announce : metadata.get("SHOAL_METADATA_ANNOUNCE_URLS").split(",")) {
            assertReachable(objects, "tracker", URI.create(announce.strip()), overlay);
        }
        for (String webSeed : metadata.get("SHOAL_METADATA_WEB_SEED_URLS").split(",")) {
            URI url = URI.create(webSeed.strip());
            assertReachable(objects, "peer-gateway", url, overlay);
            assertEquals(URI.create(gateway.get("SHOAL_GATEWAY_PUBLIC_URL")).resolve("/api/v1/web-seed/"), url,
                    overlay + ": the web seed is the gateway's");
        }
        Map<String, String> tracker = Manifests.environment(objects, "tracker");
        assertReachable(objects, "tracker", URI.create(tracker.get("SHOAL_TRACKER_ANNOUNCE_URL")), overlay);
    }

    static void assertReachable(List<JsonNode> objects, String workload, URI url, String overlay) {
        int port = url.getPort() != -1 ? url.getPort() : url.getScheme().equals("https") ? 443 : 80;
        String protocol = url.getScheme().equals("udp") ? "UDP" : "TCP";
        boolean reachable = false;
        for (JsonNode service : externalServices(objects, workload)) {
            for (JsonNode p : service.path("spec").path("ports")) {
                boolean opens = service.path("spec").path("type").asText().equals("NodePort")
                        ? p.path("nodePort").asInt() == port : p.path("port").asInt() == port;
                reachable |= opens && p.path("protocol").asText("TCP").equals(protocol);
            }
        }
        for (JsonNode ingress : Manifests.ofKind(objects, "Ingress")) {
            boolean tls = false;
            for (JsonNode entry : ingress.path("spec").path("tls")) {
                for (JsonNode host : entry.path("hosts")) {
                    tls |= host.asText().equals(url.getHost());
                }
            }
            for (JsonNode rule : ingress.path("spec").path("rules")) {
                if (!url.getHost().equals(rule.path("host").asText())) {
                    continue;
                }
                for (JsonNode path : rule.path("http").path("paths")) {
                    String service = path.path("backend").path("service").path("name").asText();
                    boolean toWorkload = Manifests.find(objects, "Service", service).map(s -> Manifests.selects(
                            s.path("spec").path("selector"), Manifests.workload(objects, workload).labels())).orElse(false);
                    reachable |= toWorkload && protocol.equals("TCP")
                            && (url.getScheme().equals("https") ? tls && port == 443 : port == 80);
                }
            }
        }
        assertTrue(reachable, overlay + ": " + url + " (" + protocol + " " + port + ") reaches no " + workload
                + " through a NodePort, a LoadBalancer or an Ingress");
    }

    static boolean isPrivate(String cidr) {
        return List.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7").stream().anyMatch(block -> {
            String[] range = cidr.split("/");
            String[] outer = block.split("/");
            return Integer.parseInt(range[1]) >= Integer.parseInt(outer[1]) && NetworkPolicies.within(range[0], block);
        });
    }
}
