package io.shoal.bittorrent.peerwire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.shoal.bittorrent.metainfo.InfoHash;
import io.shoal.bittorrent.metainfo.PeerId;
import io.shoal.bittorrent.peerwire.PeerMessage.*;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** BEP 3, 5, 6, 10, 52 messages through the real Netty pipeline, fed in the worst possible splits. */
class PeerWireCodecTest {

    static final InfoHash HASH = InfoHash.fromHex("c12fe1c06bba254a9dc9f519b335aa7c1367a88a");
    static final PeerId PEER = PeerId.random("-SH0100-");

    static List<PeerMessage> everyMessage() {
        byte[] root = new byte[32];
        root[0] = 7;
        return List.of(new KeepAlive(), new Choke(), new Unchoke(), new Interested(), new NotInterested(),
                new Have(7), new Bitfield(new byte[] {(byte) 0xff, (byte) 0x80}), new Request(1, 16384, 16384),
                new Piece(1, 0, new byte[16384]), new Cancel(1, 16384, 16384), new Port(6881), new Suggest(3),
                new HaveAll(), new HaveNone(), new RejectRequest(2, 0, 16384), new AllowedFast(4),
                new Extended(0, new ExtensionHandshake(java.util.Map.of("ut_metadata", 3), java.util.OptionalLong.of(1234),
                        java.util.Optional.of("Shoal"), java.util.OptionalInt.of(6881), java.util.OptionalInt.empty()).encode()),
                new HashRequest(root, 0, 0, 512, 3, false), new HashRequest(root, 0, 0, 512, 3, true),
                new Hashes(root, 0, 0, 2, 0, new byte[64]));
    }

    static EmbeddedChannel channel() {
        return new EmbeddedChannel(new HandshakeDecoder());
    }

    static ByteBuf wire(Handshake handshake, List<PeerMessage> messages) {
        ByteBuf out = Unpooled.buffer();
        PeerMessageCodec.encodeHandshake(handshake, out);
        messages.forEach(m -> PeerMessageCodec.encode(m, out));
        return out;
    }

    @Test
    void everyMessageSurvivesTheWireFedOneByteAtATime() {
        Handshake handshake = Handshake.of(HASH, PEER, true);
        ByteBuf wire = wire(handshake, everyMessage());
        EmbeddedChannel channel = channel();
        while (wire.isReadable()) {
            channel.writeInbound(wire.readRetainedSlice(1));
        }
        wire.release();
        assertEquals(handshake, channel.readInbound());
        List<Object> received = new ArrayList<>();
        for (Object m; (m = channel.readInbound()) != null; ) {
            received.add(m);
        }
        assertEquals(everyMessage(), received);
        assertFalse(channel.finish(), "nothing left over");
    }

    @Test
    void handshakeAndMessagesInOneWrite() {
        EmbeddedChannel channel = channel();
        channel.writeInbound(wire(Handshake.of(HASH, PEER, false), List.of(new Unchoke(), new Have(1))));
        Handshake handshake = channel.readInbound();
        assertTrue(handshake.extensionProtocol());
        assertTrue(handshake.fastExtension());
        assertFalse(handshake.dht());
        assertEquals(new Unchoke(), channel.readInbound());
        assertEquals(new Have(1), channel.readInbound());
        assertNull(channel.readInbound());
    }

    @Test
    void encoderWritesWhatTheDecoderReads() {
        EmbeddedChannel out = new EmbeddedChannel(new PeerWireEncoder());
        Handshake handshake = Handshake.of(HASH, PEER, false);
        out.writeOutbound(handshake);
        everyMessage().forEach(out::writeOutbound);
        EmbeddedChannel in = channel();
        for (ByteBuf b; (b = out.readOutbound()) != null; ) {
            in.writeInbound(b);
        }
        assertEquals(handshake, in.readInbound());
        for (PeerMessage expected : everyMessage()) {
            assertEquals(expected, in.readInbound());
        }
    }

    static DecoderException rejects(ByteBuf input) {
        EmbeddedChannel channel = channel();
        return assertThrows(DecoderException.class, () -> channel.writeInbound(input));
    }

    static ByteBuf afterHandshake(int... frame) {
        ByteBuf wire = wire(Handshake.of(HASH, PEER, false), List.of());
        for (int b : frame) {
            wire.writeByte(b);
        }
        return wire;
    }

    @Test
    void wrong_handshake_length() {
        ByteBuf wrong = Unpooled.buffer().writeByte(18).writeBytes("BitTorrent protoco".getBytes());
        assertTrue(rejects(wrong).getMessage().contains("expected: 19"));
    }

    @Test
    void garbage_instead_of_a_handshake() {
        assertTrue(rejects(Unpooled.copiedBuffer("GET / HTTP/1.1\r\n".getBytes())).getMessage().contains("expected: 19"));
        ByteBuf wrongProtocol = Unpooled.buffer().writeByte(19).writeBytes("BitTorrent protocoL".getBytes()).writeZero(48);
        assertTrue(rejects(wrongProtocol).getMessage().contains("not 'BitTorrent protocol'"));
    }

    @Test
    void overflow_length_prefix() {
        DecoderException e = rejects(afterHandshake(0xff, 0xff, 0xff, 0xff));
        assertTrue(e instanceof TooLongFrameException || e.getCause() instanceof TooLongFrameException, e.toString());
        rejects(afterHandshake(0x00, 0x10, 0x00, 0x05));
    }

    @Test
    void have_with_wrong_length() {
        assertTrue(rejects(afterHandshake(0, 0, 0, 4, PeerMessage.HAVE, 0, 0, 1)).getMessage().contains("have with 3 payload bytes (expected: 4)"));
    }

    @Test
    void choke_with_a_payload() {
        assertTrue(rejects(afterHandshake(0, 0, 0, 2, PeerMessage.CHOKE, 9)).getMessage().contains("expected: 0"));
    }

    @Test
    void request_with_an_index_past_two_to_the_31() {
        assertTrue(rejects(afterHandshake(0, 0, 0, 13, PeerMessage.REQUEST, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x40, 0))
                .getMessage().contains("expected: < 2^31"));
    }

    @Test
    void piece_shorter_than_its_header() {
        assertTrue(rejects(afterHandshake(0, 0, 0, 5, PeerMessage.PIECE, 0, 0, 0, 1)).getMessage().contains("expected: >= 8"));
    }

    @Test
    void hashes_with_a_ragged_tail() {
        ByteBuf wire = afterHandshake();
        wire.writeInt(1 + 48 + 5).writeByte(PeerMessage.HASHES).writeZero(48 + 5);
        assertTrue(rejects(wire).getMessage().contains("48 + 32"));
    }

    @Test
    void truncated_message_waits_for_the_rest() {
        EmbeddedChannel channel = channel();
        channel.writeInbound(afterHandshake(0, 0, 0, 13, PeerMessage.REQUEST, 0, 0));
        assertTrue(channel.readInbound() instanceof Handshake);
        assertNull(channel.readInbound(), "a partial frame yields nothing");
        assertTrue(channel.isActive());
    }

    @Test
    void unknown_message_ids_are_passed_on_for_the_session_to_ignore() {
        EmbeddedChannel channel = channel();
        channel.writeInbound(afterHandshake(0, 0, 0, 3, 99, 1, 2));
        channel.readInbound();
        assertEquals(new Unknown(99, 2), channel.readInbound());
    }

    @Test
    void bitfieldBitsReadFromTheHighBit() {
        Bitfield bitfield = new Bitfield(new byte[] {(byte) 0b1000_0001, 0});
        assertTrue(bitfield.has(0));
        assertTrue(bitfield.has(7));
        assertFalse(bitfield.has(8));
        assertFalse(bitfield.has(-1));
        assertFalse(bitfield.has(1000));
    }
}
