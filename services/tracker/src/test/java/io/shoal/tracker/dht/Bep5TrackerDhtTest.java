package io.shoal.tracker.dht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.shoal.bittorrent.PercentEncoding;
import io.shoal.bittorrent.bencode.BString;
import io.shoal.bittorrent.dht.KrpcCodec;
import io.shoal.bittorrent.dht.KrpcMessage;
import io.shoal.bittorrent.dht.NodeId;
import io.shoal.bittorrent.metainfo.InfoHash;
import io.shoal.bittorrent.metainfo.PeerId;
import io.shoal.bittorrent.tracker.PeerAddress;
import io.shoal.events.TorrentPublishedEvent;
import io.shoal.infra.BackingServicesTestResource;
import io.shoal.tracker.TrackerTestSupport;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The tracker's DHT node over real UDP: get_peers answered from the tracker's swarms for public torrents, never for
 * private ones (BEP 27) or unpublished ones, and hostile datagrams answered with error 203 while it keeps serving.
 */
@QuarkusTest
@WithTestResource(BackingServicesTestResource.class)
class Bep5TrackerDhtTest {

    @TestHTTPResource("/")
    java.net.URI base;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    @Inject
    TrackerDht dht;

    private InfoHash published(boolean privateTorrent) {
        InfoHash hash = TrackerTestSupport.randomHash();
        TorrentPublishedEvent t = TrackerTestSupport.torrent(hash, null);
        TrackerTestSupport.publish(kafka, hash.hex(), new TorrentPublishedEvent(t.artifactId(), t.name(), t.infoHash(), t.infoHashV2(),
                t.format(), t.pieceLength(), t.size(), t.sha256(), privateTorrent, t.singleFile(), t.files(), t.trackers(), t.bucket(),
                t.torrentKey(), t.publishedAtMillis()));
        long deadline = System.currentTimeMillis() + 15_000;
        while (new String(TrackerTestSupport.get(base, "scrape?info_hash=" + PercentEncoding.encode(hash.bytes())),
                StandardCharsets.ISO_8859_1).contains("failure reason")) {
            assertTrue(System.currentTimeMillis() < deadline, "torrent " + hash.hex() + " tracked within 15 s");
            sleep();
        }
        return hash;
    }

    private void announce(InfoHash hash, int port) {
        PeerId peer = PeerId.of(("-TT0001-" + port + "aaaaaaaaaaaa").substring(0, 20).getBytes(StandardCharsets.US_ASCII));
        TrackerTestSupport.get(base, "announce?" + TrackerTestSupport.query(hash, peer, port, 1000, ""));
    }

    private KrpcMessage exchange(DatagramSocket socket, byte[] datagram) throws Exception {
        InetSocketAddress node = new InetSocketAddress(InetAddress.getLoopbackAddress(),
                dht.node().orElseThrow().endpoint().localAddress().getPort());
        socket.send(new DatagramPacket(datagram, datagram.length, node));
        byte[] buffer = new byte[4096];
        DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
        socket.receive(reply);
        return KrpcCodec.decode(Arrays.copyOf(buffer, reply.getLength()));
    }

    private static byte[] getPeers(InfoHash hash) {
        return KrpcCodec.encode(new KrpcMessage.GetPeers(BString.of("gp"), NodeId.random(), hash));
    }

    @Test
    void get_peers_is_answered_from_the_swarms_of_public_torrents_only() throws Exception {
        InfoHash open = published(false);
        InfoHash secret = published(true);
        announce(open, 7001);
        announce(secret, 7002);
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            socket.setSoTimeout(5_000);
            KrpcMessage.Response answer = (KrpcMessage.Response) exchange(socket, getPeers(open));
            assertEquals(List.of(PeerAddress.of(InetAddress.getLoopbackAddress(), 7001)), answer.values());
            assertTrue(answer.token().isPresent(), "a token to announce with");
            assertEquals(dht.node().orElseThrow().endpoint().id(), answer.id());

            assertEquals(List.of(), ((KrpcMessage.Response) exchange(socket, getPeers(secret))).values(), "BEP 27: private");
            assertEquals(List.of(), ((KrpcMessage.Response) exchange(socket, getPeers(TrackerTestSupport.randomHash()))).values());
        }
        // what an operator watches: the queries counted by method (a snapshot every 10 s), the table, stored peers
        long deadline = System.currentTimeMillis() + 20_000;
        String metrics = "";
        while (!metrics.matches("(?s).*shoal_dht_queries_in_total\\{method=\"get_peers\"[^}]*} [1-9].*")) {
            assertTrue(System.currentTimeMillis() < deadline, "get_peers counted in /q/metrics:\n" + metrics);
            sleep();
            metrics = new String(TrackerTestSupport.get(base, "q/metrics"), StandardCharsets.UTF_8);
        }
        assertTrue(metrics.contains("shoal_dht_routing_table_nodes") && metrics.contains("shoal_dht_stored_peers")
                && metrics.contains("shoal_dht_lookups_total"), "DHT gauges and counters");
    }

    @Test
    void hostile_datagrams_get_error_203_and_the_node_keeps_answering() throws Exception {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            socket.setSoTimeout(5_000);
            KrpcMessage error = exchange(socket, "d1:ad2:id3:abce1:q4:ping1:t2:aa1:y1:qe".getBytes(StandardCharsets.ISO_8859_1));
            assertTrue(error instanceof KrpcMessage.Error e && e.code() == KrpcMessage.PROTOCOL_ERROR, error.toString());
            KrpcMessage forged = exchange(socket, KrpcCodec.encode(new KrpcMessage.AnnouncePeer(BString.of("ap"), NodeId.random(),
                    TrackerTestSupport.randomHash(), 7003, false, BString.of("not-a-token"))));
            assertTrue(forged instanceof KrpcMessage.Error e && e.message().contains("token"), forged.toString());
            assertTrue(exchange(socket, KrpcCodec.encode(new KrpcMessage.Ping(BString.of("pp"), NodeId.random())))
                    instanceof KrpcMessage.Response);
            assertTrue(dht.node().orElseThrow().endpoint().inspect(n -> n.stats()).malformed() >= 1);
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
