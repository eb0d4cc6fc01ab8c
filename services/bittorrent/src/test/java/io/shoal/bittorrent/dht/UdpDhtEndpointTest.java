package io.shoal.bittorrent.dht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shoal.bittorrent.metainfo.InfoHash;
import io.shoal.bittorrent.tracker.PeerAddress;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Nodes on real UDP sockets on loopback: join, announce, find. */
class UdpDhtEndpointTest {

    static final InetSocketAddress ANY_LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    @Test
    void nodes_on_udp_find_an_announced_peer_and_survive_garbage() throws Exception {
        List<UdpDhtEndpoint> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < 6; i++) {
                UdpDhtEndpoint node = UdpDhtEndpoint.open(ANY_LOOPBACK, NodeId.random(), DhtConfig.DEFAULT);
                nodes.add(node);
                node.start(i == 0 ? List.of() : List.of(nodes.getFirst().localAddress()), List.of()).get(10, TimeUnit.SECONDS);
            }
            try (DatagramSocket garbage = new DatagramSocket(ANY_LOOPBACK)) {
                garbage.send(new DatagramPacket(new byte[] {'d', 'x'}, 2, nodes.getFirst().localAddress()));
                garbage.send(new DatagramPacket(new byte[4000], 4000, nodes.getFirst().localAddress()));
            }
            InfoHash hash = InfoHash.fromHex("0123456789abcdef0123456789abcdef01234567");
            LookupResult announced = nodes.get(2).call(n -> n.announce(hash, 7000)).get(10, TimeUnit.SECONDS);
            assertTrue(announced.announced() >= 3, "announced to " + announced.announced());
            LookupResult found = nodes.get(5).call(n -> n.getPeers(hash)).get(10, TimeUnit.SECONDS);
            assertEquals(List.of(PeerAddress.of(InetAddress.getLoopbackAddress(), 7000)), found.peers());
            DhtStats stats = nodes.getFirst().inspect(DhtNode::stats);
            assertEquals(2, stats.malformed());
            assertTrue(stats.routingTableNodes() >= 5);
        } finally {
            nodes.forEach(UdpDhtEndpoint::close);
        }
    }
}
