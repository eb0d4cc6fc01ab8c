package io.shoal.tracker.udp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.shoal.bittorrent.metainfo.InfoHash;
import io.shoal.bittorrent.metainfo.PeerId;
import io.shoal.bittorrent.tracker.AnnounceEvent;
import io.shoal.bittorrent.tracker.AnnounceRequest;
import io.shoal.bittorrent.tracker.ScrapeStats;
import io.shoal.bittorrent.tracker.UdpTrackerCodec;
import io.shoal.bittorrent.tracker.UdpTrackerPacket;
import io.shoal.bittorrent.tracker.UdpTrackerPacket.AnnounceReply;
import io.shoal.bittorrent.tracker.UdpTrackerPacket.AnnounceRequestPacket;
import io.shoal.bittorrent.tracker.UdpTrackerPacket.ConnectReply;
import io.shoal.bittorrent.tracker.UdpTrackerPacket.ConnectRequest;
import io.shoal.bittorrent.tracker.UdpTrackerPacket.ErrorReply;
import io.shoal.bittorrent.tracker.UdpTrackerPacket.ScrapeReply;
import io.shoal.bittorrent.tracker.UdpTrackerPacket.ScrapeRequestPacket;
import io.shoal.infra.BackingServicesTestResource;
import io.shoal.tracker.TrackerTestSupport;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** BEP 15 against the running tracker's UDP socket. */
@QuarkusTest
@WithTestResource(BackingServicesTestResource.class)
class Bep15UdpTrackerTest {

    @Inject
    UdpTracker udp;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    private DatagramSocket socket;

    @BeforeEach
    void open() throws IOException {
        socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        socket.setSoTimeout(2_000);
    }

    @AfterEach
    void close() {
        socket.close();
    }

    private byte[] exchange(byte[] request) throws IOException {
        socket.send(new DatagramPacket(request, request.length, InetAddress.getLoopbackAddress(), udp.port()));
        byte[] buffer = new byte[4096];
        DatagramPacket reply = new DatagramPacket(buffer, buffer.length);
        try {
            socket.receive(reply);
        } catch (SocketTimeoutException e) {
            return null;
        }
        return java.util.Arrays.copyOf(buffer, reply.getLength());
    }

    private UdpTrackerPacket.Reply exchange(UdpTrackerPacket request) throws Exception {
        ByteBuffer encoded = UdpTrackerCodec.encode(request);
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        byte[] reply = exchange(bytes);
        assertTrue(reply != null, "no reply to " + request);
        UdpTrackerPacket.Reply decoded = UdpTrackerCodec.decodeReply(ByteBuffer.wrap(reply), false);
        assertEquals(request.transactionId(), decoded.transactionId());
        return decoded;
    }

    private long connect() throws Exception {
        return ((ConnectReply) exchange(new ConnectRequest(42))).connectionId();
    }

    private static AnnounceRequest announce(InfoHash hash, PeerId peer, int port, long left) {
        return new AnnounceRequest(hash, peer, port, 0, 0, left, AnnounceEvent.STARTED, OptionalInt.empty(), true, true,
                Optional.empty(), Optional.of("0000beef"));
    }

    private InfoHash published() throws Exception {
        InfoHash hash = TrackerTestSupport.randomHash();
        TrackerTestSupport.publish(kafka, hash.hex(), TrackerTestSupport.torrent(hash, null));
        long deadline = System.currentTimeMillis() + 15_000;
        while (exchange(new AnnounceRequestPacket(connect(), 1, announce(hash, PeerId.random("-PROBE-"), 1, 5), 0)) instanceof ErrorReply) {
            assertTrue(System.currentTimeMillis() < deadline, "not tracked within 15 s");
            Thread.sleep(100);
        }
        return hash;
    }

    @Test
    void connectAnnounceAndScrape() throws Exception {
        InfoHash hash = published();
        long id = connect();
        PeerId seeder = PeerId.random("-SH0100-");
        AnnounceReply first = (AnnounceReply) exchange(new AnnounceRequestPacket(id, 7, announce(hash, seeder, 6881, 0), 0));
        assertEquals(300, first.interval());
        assertEquals(1, first.seeders());
        AnnounceReply second = (AnnounceReply) exchange(new AnnounceRequestPacket(id, 8, announce(hash, PeerId.random("-LT2080-"), 6882, 99), 0));
        assertEquals(1, second.seeders());
        assertTrue(second.peers().stream().anyMatch(p -> p.port() == 6881 && p.address().getHostAddress().equals("127.0.0.1")));
        ScrapeReply scrape = (ScrapeReply) exchange(new ScrapeRequestPacket(id, 9, List.of(hash, TrackerTestSupport.randomHash())));
        assertEquals(1, scrape.stats().getFirst().complete());
        assertEquals(new ScrapeStats(0, 0, 0), scrape.stats().get(1), "an untracked hash has nobody, in its place");
    }

    @Test
    void anIpv6ClientGets18BytePeersOfItsFamilyOnly() throws Exception {
        InfoHash hash = published();
        java.net.InetSocketAddress v6 = new java.net.InetSocketAddress(InetAddress.getByName("fd00::5"), 6881);
        java.net.InetSocketAddress v6Other = new java.net.InetSocketAddress(InetAddress.getByName("fd00::6"), 6882);
        long now = System.currentTimeMillis();
        exchange(new AnnounceRequestPacket(connect(), 1, announce(hash, PeerId.random("-V4-"), 7000, 0), 0)); // an IPv4 seeder
        long id = ((ConnectReply) UdpTrackerCodec.decodeReply(udp.answer(UdpTrackerCodec.encode(new ConnectRequest(3)), v6, now), true)).connectionId();
        long otherId = ((ConnectReply) UdpTrackerCodec.decodeReply(udp.answer(UdpTrackerCodec.encode(new ConnectRequest(4)), v6Other, now), true)).connectionId();
        udp.answer(UdpTrackerCodec.encode(new AnnounceRequestPacket(otherId, 5, announce(hash, PeerId.random("-V6-"), 6882, 0), 0)), v6Other, now);
        AnnounceReply reply = (AnnounceReply) UdpTrackerCodec.decodeReply(
                udp.answer(UdpTrackerCodec.encode(new AnnounceRequestPacket(id, 6, announce(hash, PeerId.random("-V6-"), 6881, 9), 0)), v6, now), true);
        assertEquals(List.of("fd00:0:0:0:0:0:0:6"), reply.peers().stream().map(p -> p.address().getHostAddress()).toList(),
                "the IPv6 seeder only: an IPv6 answer has no room for IPv4 peers");
        ErrorReply stolen = (ErrorReply) UdpTrackerCodec.decodeReply(udp.answer(UdpTrackerCodec.encode(
                new AnnounceRequestPacket(otherId, 7, announce(hash, PeerId.random("-V6-"), 1, 9), 0)), v6, now), true);
        assertTrue(stolen.message().contains("connection id"), "another client's connection id is refused");
    }

    @Test
    void anAnswerHoldsNoMorePeersThanFitOneDatagram() throws Exception {
        InfoHash hash = published();
        long now = System.currentTimeMillis();
        for (int i = 1; i <= UdpTracker.MAX_PEERS_IPV6 + 20; i++) {
            java.net.InetSocketAddress seeder = new java.net.InetSocketAddress(InetAddress.getByName("fd00::1:" + Integer.toHexString(i)), 6881);
            long id = ((ConnectReply) UdpTrackerCodec.decodeReply(udp.answer(UdpTrackerCodec.encode(new ConnectRequest(i)), seeder, now), true)).connectionId();
            udp.answer(UdpTrackerCodec.encode(new AnnounceRequestPacket(id, i, announce(hash, PeerId.random("-V6-"), 6881, 0), 0)), seeder, now);
        }
        java.net.InetSocketAddress leecher = new java.net.InetSocketAddress(InetAddress.getByName("fd00::2:1"), 6881);
        long id = ((ConnectReply) UdpTrackerCodec.decodeReply(udp.answer(UdpTrackerCodec.encode(new ConnectRequest(1)), leecher, now), true)).connectionId();
        AnnounceRequest asksForMany = new AnnounceRequest(hash, PeerId.random("-V6-"), 6881, 0, 0, 9, AnnounceEvent.STARTED,
                OptionalInt.of(200), true, true, Optional.empty(), Optional.empty());
        ByteBuffer reply = udp.answer(UdpTrackerCodec.encode(new AnnounceRequestPacket(id, 2, asksForMany, 0)), leecher, now);
        assertTrue(reply.remaining() <= 1452, "an IPv6 answer fits a 1500-byte packet: " + reply.remaining());
        assertEquals(UdpTracker.MAX_PEERS_IPV6, ((AnnounceReply) UdpTrackerCodec.decodeReply(reply, true)).peers().size());
    }

    @Test
    void theClaimedIpFieldIsHonouredFromATrustedAddress() throws Exception {
        InfoHash hash = published();
        long id = connect();
        exchange(new AnnounceRequestPacket(id, 1, announce(hash, PeerId.random("-SH0100-"), 6881, 0), 0x0a000102));
        AnnounceReply reply = (AnnounceReply) exchange(new AnnounceRequestPacket(id, 2, announce(hash, PeerId.random("-LT-"), 1, 9), 0));
        assertTrue(reply.peers().stream().anyMatch(p -> p.address().getHostAddress().equals("10.0.1.2")));
    }

    @Test
    void aClaimedIpFieldFromAnUntrustedAddressIsIgnored() throws Exception {
        InfoHash hash = published();
        java.net.InetSocketAddress untrusted = new java.net.InetSocketAddress(InetAddress.getByName("10.5.5.5"), 6881);
        long now = System.currentTimeMillis();
        long id = ((ConnectReply) UdpTrackerCodec.decodeReply(udp.answer(UdpTrackerCodec.encode(new ConnectRequest(1)), untrusted, now), false)).connectionId();
        udp.answer(UdpTrackerCodec.encode(new AnnounceRequestPacket(id, 2, announce(hash, PeerId.random("-XX-"), 6881, 0), 0x0a000102)), untrusted, now);
        AnnounceReply reply = (AnnounceReply) exchange(new AnnounceRequestPacket(connect(), 3, announce(hash, PeerId.random("-LT-"), 1, 9), 0));
        assertEquals(List.of("10.5.5.5"), reply.peers().stream().map(p -> p.address().getHostAddress()).toList());
    }

    @Test
    void aSpoofedDatagramIsNeverAnsweredWithMoreBytesThanItCarried() throws Exception {
        InfoHash hash = published();
        // the victim's address on the datagrams; it never connected, so no connection id of its is valid
        java.net.InetSocketAddress victim = new java.net.InetSocketAddress(InetAddress.getByName("198.51.100.7"), 53);
        long now = System.currentTimeMillis();
        List<ByteBuffer> spoofed = List.of(
                ByteBuffer.allocate(16).putLong(1L).putInt(0).putInt(1).flip(), // a connect without the protocol id
                ByteBuffer.allocate(16).putLong(77L).putInt(1).putInt(2).flip(), // a truncated announce
                ByteBuffer.allocate(16).putLong(77L).putInt(9).putInt(3).flip(), // an unknown action
                ByteBuffer.allocate(16).putLong(77L).putInt(2).putInt(4).flip(), // a scrape of nothing
                UdpTrackerCodec.encode(new ScrapeRequestPacket(77L, 5, List.of(hash))),
                UdpTrackerCodec.encode(new AnnounceRequestPacket(77L, 6, announce(hash, PeerId.random("-X-"), 1, 0), 0)));
        for (ByteBuffer datagram : spoofed) {
            int size = datagram.remaining();
            ByteBuffer reply = udp.answer(datagram, victim, now);
            assertTrue(reply == null || reply.remaining() <= size, "a " + size + "-byte datagram answered with "
                    + (reply == null ? 0 : reply.remaining()) + " bytes");
        }
        ByteBuffer connect = UdpTrackerCodec.encode(new ConnectRequest(8));
        assertEquals(16, udp.answer(connect, victim, now).remaining(), "a connect's answer is as large as the connect");
    }

    @Test
    void badDatagramsGetErrorPacketsAndTheTrackerGoesOn() throws Exception {
        InfoHash hash = published();
        assertNull(exchange(new byte[] {1, 2, 3}), "too short to carry a transaction id: no answer");
        ErrorReply wrongId = (ErrorReply) exchange(new AnnounceRequestPacket(12345L, 3, announce(hash, PeerId.random("-X-"), 1, 0), 0));
        assertTrue(wrongId.message().contains("connection id"), wrongId.message());
        ErrorReply scrapeWrongId = (ErrorReply) exchange(new ScrapeRequestPacket(999L, 4, List.of(hash)));
        assertTrue(scrapeWrongId.message().contains("connection id"));
        byte[] wrongAction = ByteBuffer.allocate(16).putLong(connect()).putInt(7).putInt(5).array();
        assertTrue(decodeError(exchange(wrongAction)).contains("unknown action 7"));
        byte[] noMagic = ByteBuffer.allocate(16).putLong(1L).putInt(0).putInt(6).array();
        assertEquals("connect ", decodeError(exchange(noMagic)), "no connection id: no more than 16 bytes back");
        byte[] truncatedAnnounce = ByteBuffer.allocate(40).putLong(connect()).putInt(1).putInt(8).array();
        assertTrue(decodeError(exchange(truncatedAnnounce)).contains("expected: >= 98"));
        ErrorReply unknown = (ErrorReply) exchange(new AnnounceRequestPacket(connect(), 9,
                announce(TrackerTestSupport.randomHash(), PeerId.random("-X-"), 1, 0), 0));
        assertTrue(unknown.message().startsWith("unknown info_hash"));
        assertInstanceOf(AnnounceReply.class, exchange(new AnnounceRequestPacket(connect(), 10, announce(hash, PeerId.random("-X-"), 2, 0), 0)),
                "still serving");
    }

    private static String decodeError(byte[] reply) throws Exception {
        assertTrue(reply != null, "no error reply");
        return assertInstanceOf(ErrorReply.class, UdpTrackerCodec.decodeReply(ByteBuffer.wrap(reply), false)).message();
    }
}
