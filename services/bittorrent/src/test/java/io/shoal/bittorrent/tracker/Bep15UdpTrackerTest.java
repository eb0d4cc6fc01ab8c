package io.shoal.bittorrent.tracker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shoal.bittorrent.metainfo.InfoHash;
import io.shoal.bittorrent.metainfo.PeerId;
import io.shoal.bittorrent.tracker.UdpTrackerPacket.AnnounceReply;
import io.shoal.bittorrent.tracker.UdpTrackerPacket.AnnounceRequestPacket;
import io.shoal.bittorrent.tracker.UdpTrackerPacket.ConnectReply;
import io.shoal.bittorrent.tracker.UdpTrackerPacket.ConnectRequest;
import io.shoal.bittorrent.tracker.UdpTrackerPacket.ErrorReply;
import io.shoal.bittorrent.tracker.UdpTrackerPacket.ScrapeReply;
import io.shoal.bittorrent.tracker.UdpTrackerPacket.ScrapeRequestPacket;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class Bep15UdpTrackerTest {

    static final InfoHash HASH = InfoHash.fromHex("c12fe1c06bba254a9dc9f519b335aa7c1367a88a");
    static final PeerId PEER = PeerId.random("-SH0100-");

    static AnnounceRequest announce() {
        return new AnnounceRequest(HASH, PEER, 6881, 1, 2, 3, AnnounceEvent.COMPLETED, OptionalInt.of(30), true,
                true, Optional.empty(), Optional.of("0000beef"));
    }

    @Test
    void connectRoundTripsWithTheProtocolMagic() throws Exception {
        ByteBuffer wire = UdpTrackerCodec.encode(new ConnectRequest(77));
        assertEquals(0x41727101980L, wire.getLong(0));
        assertEquals(new ConnectRequest(77), UdpTrackerCodec.decodeRequest(wire));
        assertEquals(new ConnectReply(77, -5L), UdpTrackerCodec.decodeReply(UdpTrackerCodec.encode(new ConnectReply(77, -5L)), false));
    }

    @Test
    void announceIs98BytesAndRoundTrips() throws Exception {
        var packet = new AnnounceRequestPacket(123456789L, 9, announce(), 0);
        ByteBuffer wire = UdpTrackerCodec.encode(packet);
        assertEquals(98, wire.remaining());
        assertEquals(packet, UdpTrackerCodec.decodeRequest(wire));
    }

    @Test
    void announceRepliesCarryPeersOfTheSocketsFamily() throws Exception {
        var v4 = PeerAddress.of(InetAddress.getByName("10.0.0.1"), 6881);
        var v6 = PeerAddress.of(InetAddress.getByName("fd00::2"), 6882);
        var reply4 = new AnnounceReply(3, 60, 1, 2, List.of(v4), false);
        ByteBuffer wire4 = UdpTrackerCodec.encode(reply4);
        assertEquals(26, wire4.remaining());
        assertEquals(reply4, UdpTrackerCodec.decodeReply(wire4, false));
        var reply6 = new AnnounceReply(3, 60, 1, 2, List.of(v6), true);
        ByteBuffer wire6 = UdpTrackerCodec.encode(reply6);
        assertEquals(38, wire6.remaining());
        assertEquals(reply6, UdpTrackerCodec.decodeReply(wire6, true));
    }

    @Test
    void scrapeAndErrorRoundTrip() throws Exception {
        var scrape = new ScrapeRequestPacket(5L, 6, List.of(HASH, HASH));
        assertEquals(scrape, UdpTrackerCodec.decodeRequest(UdpTrackerCodec.encode(scrape)));
        var reply = new ScrapeReply(6, List.of(new ScrapeStats(1, 2, 3)));
        assertEquals(reply, UdpTrackerCodec.decodeReply(UdpTrackerCodec.encode(reply), false));
        var error = new ErrorReply(6, "unregistered torrent");
        assertEquals(error, UdpTrackerCodec.decodeReply(UdpTrackerCodec.encode(error), false));
    }

    static String rejected(ByteBuffer datagram) {
        return assertThrows(TrackerRequestException.class, () -> UdpTrackerCodec.decodeRequest(datagram)).getMessage();
    }

    @Test
    void packet_too_short() {
        assertTrue(rejected(ByteBuffer.allocate(15)).contains("expected: >= 16"));
        ByteBuffer shortAnnounce = UdpTrackerCodec.encode(new AnnounceRequestPacket(1, 2, announce(), 0)).limit(97);
        assertTrue(rejected(shortAnnounce).contains("expected: >= 98"));
        assertEquals(OptionalInt.of(2), UdpTrackerCodec.transactionIdOf(shortAnnounce));
    }

    @Test
    void connect_without_protocol_magic() {
        assertTrue(rejected(ByteBuffer.allocate(16).putLong(42).putInt(0).putInt(1).flip()).contains("protocol id"));
    }

    @Test
    void unknown_action_and_event() {
        assertTrue(rejected(ByteBuffer.allocate(16).putLong(1).putInt(9).putInt(1).flip()).contains("unknown action 9"));
        ByteBuffer wire = UdpTrackerCodec.encode(new AnnounceRequestPacket(1, 2, announce(), 0));
        wire.putInt(80, 7);
        assertTrue(rejected(wire).contains("unknown event 7"));
    }

    @Test
    void negative_counters_and_port_zero() {
        ByteBuffer wire = UdpTrackerCodec.encode(new AnnounceRequestPacket(1, 2, announce(), 0));
        wire.putLong(56, -1);
        assertTrue(rejected(wire).contains("negative counter"));
        ByteBuffer portZero = UdpTrackerCodec.encode(new AnnounceRequestPacket(1, 2, announce(), 0));
        portZero.putShort(96, (short) 0);
        assertTrue(rejected(portZero).contains("port 0"));
    }

    @Test
    void scrape_with_ragged_or_too_many_hashes() {
        assertTrue(rejected(ByteBuffer.allocate(16 + 19).putLong(1).putInt(2).putInt(1).flip()).contains("20 a hash"));
        assertTrue(rejected(ByteBuffer.allocate(16 + 20 * 75).putLong(1).putInt(2).putInt(1).position(0)).contains("expected: <= 74"));
    }
}
