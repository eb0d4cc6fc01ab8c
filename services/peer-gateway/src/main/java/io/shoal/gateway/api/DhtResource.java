package io.shoal.gateway.api;

import io.shoal.platform.dht.DhtSettings;
import io.shoal.platform.dht.NodeAddress;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The DHT nodes a host joins through (REST contract, {@code GET /api/v1/dht/nodes}): the tracker's node and the
 * workers' as SHOAL_DHT_BOOTSTRAP lists them, the same list new .torrent files carry as BEP 5 {@code nodes}.
 * {@code bootstrap} is the list in the form clients take it (libtorrent's {@code dht_bootstrap_nodes}).
 */
@Path("/api/v1/dht")
@Produces(MediaType.APPLICATION_JSON)
public class DhtResource {

    public record Node(String host, int port) {
    }

    public record Nodes(List<Node> nodes, String bootstrap) {
    }

    private final Nodes nodes;

    DhtResource(DhtSettings settings) {
        List<NodeAddress> addresses = settings.bootstrapNodes();
        this.nodes = new Nodes(addresses.stream().map(a -> new Node(a.host(), a.port())).toList(),
                addresses.stream().map(NodeAddress::toString).collect(Collectors.joining(",")));
    }

    @GET
    @Path("/nodes")
    public Nodes nodes() {
        return nodes;
    }
}
