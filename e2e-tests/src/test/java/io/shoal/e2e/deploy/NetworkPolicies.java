package io.shoal.e2e.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * NetworkPolicy semantics (networking.k8s.io/v1) over a render: a connection is allowed when the source's
 * egress allows it and the destination's ingress does. A pod selected by no policy of a direction is open in
 * it; once selected, only what a rule names passes. Where the API leaves it to the network plugin, the model
 * takes the permissive reading (an ipBlock matches pod addresses too), so "nothing else is allowed" holds on
 * any plugin.
 */
final class NetworkPolicies {

    /** One end of a connection: a pod of the cluster (namespace, labels, its ports) or an address outside. */
    record Endpoint(String name, String namespace, JsonNode namespaceLabels, JsonNode labels, String ip,
                    List<Port> ports) {

        boolean inCluster() {
            return namespace != null;
        }

        static Endpoint pod(String name, String namespace, JsonNode labels, String ip, List<Port> ports) {
            ObjectNode namespaceLabels = JsonNodeFactory.instance.objectNode().put("kubernetes.io/metadata.name", namespace);
            return new Endpoint(name, namespace, namespaceLabels, labels, ip, ports);
        }

        static Endpoint outside(String name, String ip) {
            return new Endpoint(name, null, null, null, ip, List.of());
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** A container port, with the name a policy may use for it. */
    record Port(String name, int number, String protocol) {
    }

    private final List<JsonNode> policies;

    NetworkPolicies(List<JsonNode> objects) {
        this.policies = Manifests.ofKind(objects, "NetworkPolicy");
    }

    boolean allowed(Endpoint from, Endpoint to, int port, String protocol) {
        return permits(from, to, port, protocol, "Egress") && permits(to, from, port, protocol, "Ingress");
    }

    /**
     * Whether the policies selecting {@code subject} let this connection through in {@code direction}; {@code peer}
     * is the other end, the port always the destination's.
     */
    private boolean permits(Endpoint subject, Endpoint peer, int port, String protocol, String direction) {
        if (!subject.inCluster()) {
            return true;
        }
        boolean isolated = false;
        Endpoint destination = direction.equals("Egress") ? peer : subject;
        for (JsonNode policy : policies) {
            if (!policy.path("metadata").path("namespace").asText("default").equals(subject.namespace())
                    || !Manifests.selects(policy.path("spec").path("podSelector"), subject.labels())
                    || !types(policy).contains(direction)) {
                continue;
            }
            isolated = true;
            String rules = direction.equals("Egress") ? "egress" : "ingress";
            String peers = direction.equals("Egress") ? "to" : "from";
            for (JsonNode rule : policy.path("spec").path(rules)) {
                if (matchesPeers(rule.path(peers), peer, policy) && matchesPorts(rule.path("ports"), destination, port, protocol)) {
                    return true;
                }
            }
        }
        return !isolated;
    }

    private static List<String> types(JsonNode policy) {
        JsonNode declared = policy.path("spec").path("policyTypes");
        if (!declared.isMissingNode()) {
            List<String> types = new ArrayList<>();
            declared.forEach(t -> types.add(t.asText()));
            return types;
        }
        return policy.path("spec").has("egress") ? List.of("Ingress", "Egress") : List.of("Ingress");
    }

    private static boolean matchesPeers(JsonNode peers, Endpoint peer, JsonNode policy) {
        if (peers.isMissingNode() || peers.isEmpty()) {
            return true;
        }
        for (JsonNode candidate : peers) {
            if (candidate.has("ipBlock")) {
                if (inBlock(peer.ip(), candidate.path("ipBlock"))) {
                    return true;
                }
                continue;
            }
            if (!peer.inCluster()) {
                continue;
            }
            boolean namespaceOk = candidate.has("namespaceSelector")
                    ? Manifests.selects(candidate.path("namespaceSelector"), peer.namespaceLabels())
                    : peer.namespace().equals(policy.path("metadata").path("namespace").asText("default"));
            boolean podOk = !candidate.has("podSelector")
                    || Manifests.selects(candidate.path("podSelector"), peer.labels());
            if (namespaceOk && podOk) {
                return true;
            }
        }
        return false;
    }

    private static boolean matchesPorts(JsonNode ports, Endpoint destination, int port, String protocol) {
        if (ports.isMissingNode() || ports.isEmpty()) {
            return true;
        }
        for (JsonNode entry : ports) {
            if (!entry.path("protocol").asText("TCP").equals(protocol)) {
                continue;
            }
            JsonNode declared = entry.path("port");
            if (declared.isMissingNode()) {
                return true;
            }
            if (declared.isInt()) {
                int first = declared.asInt();
                int last = entry.path("endPort").asInt(first);
                if (port >= first && port <= last) {
                    return true;
                }
            } else if (destination.ports().stream().anyMatch(p -> declared.asText().equals(p.name())
                    && p.number() == port && p.protocol().equals(protocol))) {
                return true;
            }
        }
        return false;
    }

    static boolean inBlock(String ip, JsonNode block) {
        if (!within(ip, block.path("cidr").asText())) {
            return false;
        }
        for (JsonNode except : block.path("except")) {
            if (within(ip, except.asText())) {
                return false;
            }
        }
        return true;
    }

    static boolean within(String ip, String cidr) {
        try {
            String[] parts = cidr.split("/");
            byte[] address = InetAddress.getByName(ip).getAddress();
            byte[] network = InetAddress.getByName(parts[0]).getAddress();
            if (address.length != network.length) {
                return false;
            }
            int bits = Integer.parseInt(parts[1]);
            for (int i = 0; i < bits; i++) {
                int mask = 0x80 >>> (i % 8);
                if ((address[i / 8] & mask) != (network[i / 8] & mask)) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException e) {
            throw new AssertionError("not an address: " + ip + " or " + cidr, e);
        }
    }

    /** The pods of a render as endpoints, with addresses in {@code podNetwork} (a /16 prefix such as "10.244"). */
    static List<Endpoint> pods(List<JsonNode> objects, String podNetwork) {
        List<Endpoint> pods = new ArrayList<>();
        int n = 1;
        for (Manifests.Workload workload : Manifests.workloads(objects)) {
            List<Port> ports = new ArrayList<>();
            for (JsonNode container : workload.pod().path("containers")) {
                for (JsonNode port : container.path("ports")) {
                    ports.add(new Port(port.path("name").asText(null), port.path("containerPort").asInt(),
                            port.path("protocol").asText("TCP")));
                }
            }
            pods.add(Endpoint.pod(workload.name(), workload.namespace(), workload.labels(), podNetwork + ".0." + n++, ports));
        }
        return pods;
    }

    /** Ports to try towards an address outside the cluster, which declares none. */
    static final List<Port> OUTSIDE_PORTS = List.of(new Port(null, 53, "UDP"), new Port(null, 53, "TCP"),
            new Port(null, 80, "TCP"), new Port(null, 443, "TCP"), new Port(null, 5432, "TCP"), new Port(null, 6881, "TCP"),
            new Port(null, 6969, "TCP"), new Port(null, 6969, "UDP"), new Port(null, 9000, "TCP"), new Port(null, 9092, "TCP"),
            new Port(null, 51413, "TCP"), new Port(null, 51413, "UDP"));

    /**
     * Every connection the policies allow between the endpoints where one end is a pod of {@code namespace}, as
     * "from -> to:port/protocol" (a pod talking to itself is not the network's business).
     */
    List<String> allowedFlows(List<Endpoint> endpoints, String namespace) {
        List<String> flows = new ArrayList<>();
        for (Endpoint from : endpoints) {
            for (Endpoint to : endpoints) {
                if (from == to || !namespace.equals(from.namespace()) && !namespace.equals(to.namespace())) {
                    continue;
                }
                for (Port port : to.inCluster() ? to.ports() : OUTSIDE_PORTS) {
                    if (allowed(from, to, port.number(), port.protocol())) {
                        flows.add(flow(from.name(), to.name(), port.number(), port.protocol()));
                    }
                }
            }
        }
        return flows;
    }

    static String flow(String from, String to, int port, String protocol) {
        return from + " -> " + to + ":" + port + "/" + protocol;
    }
}
