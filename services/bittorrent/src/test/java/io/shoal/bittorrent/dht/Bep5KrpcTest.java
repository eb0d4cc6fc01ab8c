package io.shoal.bittorrent.dht;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shoal.bittorrent.bencode.BString;
import io.shoal.bittorrent.dht.KrpcMessage.*;
import io.shoal.bittorrent.metainfo.InfoHash;
import io.shoal.bittorrent.tracker.PeerAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class Bep5KrpcTest {

    static final BString T = BString.of("aa");
    static final NodeId ID = NodeId.of("abcdefghij0123456789".getBytes(StandardCharsets.US_ASCII));

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void bep5ExamplePingIsByteExact() throws Exception {
        // The example query from BEP 5.
        byte[] wire = b("d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:qe");
        assertEquals(new Ping(T, ID), KrpcCodec.decode(wire));
        assertArrayEquals(wire, KrpcCodec.encode(new Ping(T, ID)));
    }

    @Test
    void everyQueryRoundTrips() throws Exception {
        InfoHash hash = InfoHash.fromHex("c12fe1c06bba254a9dc9f519b335aa7c1367a88a");
        for (KrpcMessage m : List.of(new Ping(T, ID), new FindNode(T, ID, NodeId.random()), new GetPeers(T, ID, hash),
                new AnnouncePeer(T, ID, hash, 6881, false, BString.of("tok")), new AnnouncePeer(T, ID, hash, 0, true, BString.of("tok")))) {
            assertEquals(m, KrpcCodec.decode(KrpcCodec.encode(m)));
        }
    }

    @Test
    void responsesWithNodesValuesAndToken() throws Exception {
        var node = new NodeInfo(NodeId.random(), new InetSocketAddress(InetAddress.getByName("10.0.0.9"), 6881));
        var peer = PeerAddress.of(InetAddress.getByName("10.0.0.10"), 51413);
        var response = new Response(T, ID, List.of(node), List.of(peer), Optional.of(BString.of("secret")));
        assertEquals(response, KrpcCodec.decode(KrpcCodec.encode(response)));
        var error = new KrpcMessage.Error(T, KrpcMessage.PROTOCOL_ERROR, "A Protocol Error, such as a malformed packet");
        assertEquals(error, KrpcCodec.decode(KrpcCodec.encode(error)));
    }

    @Test
    void xorDistanceOrdersNodes() {
        NodeId zero = NodeId.of(new byte[20]);
        byte[] one = new byte[20];
        one[19] = 1;
        byte[] big = new byte[20];
        big[0] = (byte) 0x80;
        assertTrue(zero.distance(NodeId.of(one)).compareTo(zero.distance(NodeId.of(big))) < 0);
        assertEquals(zero, NodeId.of(big).distance(NodeId.of(big)));
    }

    static KrpcException rejected(String wire) {
        return assertThrows(KrpcException.class, () -> KrpcCodec.decode(b(wire)));
    }

    @Test
    void malformed_datagrams_keep_the_transaction_id_for_error_203() {
        KrpcException e = rejected("d1:ad2:id3:abce1:q4:ping1:t2:aa1:y1:qe");
        assertEquals(T, e.transactionId().orElseThrow());
        assertTrue(e.getMessage().contains("expected: 20 bytes"));
        assertTrue(rejected("d1:ad2:id20:abcdefghij0123456789e1:q4:evil1:t2:aa1:y1:qe").getMessage().contains("method unknown"));
        assertTrue(rejected("d1:t2:aa1:y1:xe").getMessage().contains("unknown message type"));
    }

    @Test
    void garbage_and_oversized_datagrams() {
        assertTrue(rejected("not bencode").transactionId().isEmpty());
        assertTrue(rejected("d1:y1:qe").getMessage().contains("transaction id"));
        assertThrows(KrpcException.class, () -> KrpcCodec.decode(new byte[4096]));
        assertTrue(rejected("d1:rd2:id20:abcdefghij01234567895:nodes3:abce1:t2:aa1:y1:re").getMessage().contains("multiple of 26"));
        assertTrue(rejected("d1:ad2:id20:abcdefghij01234567899:info_hash20:abcdefghij01234567894:porti0e5:token1:xe1:q13:announce_peer1:t2:aa1:y1:qe")
                .getMessage().contains("port 0"));
    }
}
