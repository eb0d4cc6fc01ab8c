package io.shoal.bittorrent.mse;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.shoal.bittorrent.metainfo.InfoHash;
import io.shoal.bittorrent.metainfo.PeerId;
import io.shoal.bittorrent.peerwire.Handshake;
import io.shoal.bittorrent.peerwire.HandshakeDecoder;
import io.shoal.bittorrent.peerwire.PeerMessage;
import io.shoal.bittorrent.peerwire.PeerMessageCodec;
import io.shoal.bittorrent.peerwire.PeerWireEncoder;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Message Stream Encryption between two real pipelines, fed in the worst splits, and every way a peer can
 * get it wrong. The connecting side is our own handler or a hand-built one that sends what libtorrent
 * sends (padding, the BitTorrent handshake as initial payload).
 */
class MseHandshakeTest {

    static final InfoHash HASH = InfoHash.fromHex("c12fe1c06bba254a9dc9f519b335aa7c1367a88a");
    static final InfoHash OTHER = InfoHash.fromHex("0000000000000000000000000000000000000001");
    static final SecureRandom RANDOM = new SecureRandom();
    static final MseHandshake.Torrents SERVED = req2 -> Arrays.equals(req2, MseKeys.req2(HASH)) ? Optional.of(HASH)
            : Arrays.equals(req2, MseKeys.req2(OTHER)) ? Optional.of(OTHER) : Optional.empty();
    static final byte[] FROM_A = "the BitTorrent handshake and messages of A".getBytes(StandardCharsets.US_ASCII);
    static final byte[] FROM_B = "what B answers".getBytes(StandardCharsets.US_ASCII);

    private static EmbeddedChannel accepting(EncryptionPolicy policy) {
        return new EmbeddedChannel(MseHandshake.accepting(policy, SERVED, RANDOM));
    }

    private static EmbeddedChannel connecting(EncryptionPolicy policy, InfoHash hash) {
        return new EmbeddedChannel(MseHandshake.connecting(policy, hash, RANDOM));
    }

    /** Moves every written byte to the other side, one byte per read, until neither writes; returns the wire from A. */
    private static byte[] shuttle(EmbeddedChannel a, EmbeddedChannel b) {
        ByteArrayOutputStream wireFromA = new ByteArrayOutputStream();
        boolean moved = true;
        while (moved) {
            moved = move(a, b, wireFromA) | move(b, a, new ByteArrayOutputStream());
        }
        return wireFromA.toByteArray();
    }

    private static boolean move(EmbeddedChannel from, EmbeddedChannel to, ByteArrayOutputStream wire) {
        boolean moved = false;
        for (ByteBuf out; (out = from.readOutbound()) != null; ) {
            byte[] bytes = ByteBufUtil.getBytes(out);
            out.release();
            wire.writeBytes(bytes);
            for (byte b : bytes) {
                to.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
                to.checkException();
            }
            moved = true;
        }
        return moved;
    }

    private static byte[] inbound(EmbeddedChannel channel) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (ByteBuf in; (in = channel.readInbound()) != null; ) {
            all.writeBytes(ByteBufUtil.getBytes(in));
            in.release();
        }
        return all.toByteArray();
    }

    private static void exchange(EncryptionPolicy policyA, EncryptionPolicy policyB, MseHandshake.Method expected) {
        EmbeddedChannel a = connecting(policyA, HASH);
        EmbeddedChannel b = accepting(policyB);
        a.writeOutbound(Unpooled.wrappedBuffer(FROM_A)); // held until negotiated
        byte[] wire = shuttle(a, b);
        b.writeOutbound(Unpooled.wrappedBuffer(FROM_B));
        wire = concat(wire, shuttle(a, b));
        assertArrayEquals(FROM_A, inbound(b));
        assertArrayEquals(FROM_B, inbound(a));
        assertEquals(expected, a.attr(MseHandshake.METHOD).get());
        assertEquals(expected, b.attr(MseHandshake.METHOD).get());
        assertEquals(HASH, b.attr(MseHandshake.SKEY).get(), "B learns the torrent from HASH('req2', SKEY)");
        assertNull(a.pipeline().get(MseHandshake.class), "the handshake leaves the pipeline");
        assertEquals(expected == MseHandshake.Method.RC4, a.pipeline().get(Rc4Codec.class) != null);
        assertEquals(expected == MseHandshake.Method.RC4, indexOf(wire, FROM_A) < 0, "RC4 leaves no plaintext on the wire");
        assertTrue(indexOf(wire, HASH.bytes()) < 0, "the info-hash never travels in the clear");
        assertFalse(a.finish() | b.finish());
    }

    @Test
    void bothRequiringEncryptionGetAnRc4StreamFedOneByteAtATime() {
        exchange(EncryptionPolicy.REQUIRE, EncryptionPolicy.REQUIRE, MseHandshake.Method.RC4);
    }

    @Test
    void bothPreferringGetAnEncryptedHandshakeAndAPlaintextPayload() {
        exchange(EncryptionPolicy.PREFER, EncryptionPolicy.PREFER, MseHandshake.Method.MSE_PLAINTEXT);
    }

    @Test
    void aRequiringSideGetsRc4FromAPreferringOne() {
        exchange(EncryptionPolicy.PREFER, EncryptionPolicy.REQUIRE, MseHandshake.Method.RC4);
        exchange(EncryptionPolicy.REQUIRE, EncryptionPolicy.PREFER, MseHandshake.Method.RC4);
    }

    @Test
    void aConnectionStaysEncryptedAfterTheHandshakeInBothDirections() {
        EmbeddedChannel a = connecting(EncryptionPolicy.REQUIRE, HASH);
        EmbeddedChannel b = accepting(EncryptionPolicy.REQUIRE);
        shuttle(a, b);
        for (int round = 0; round < 50; round++) {
            byte[] message = new byte[RANDOM.nextInt(40_000) + 1];
            RANDOM.nextBytes(message);
            a.writeOutbound(Unpooled.wrappedBuffer(message));
            b.writeOutbound(Unpooled.wrappedBuffer(message));
            ByteBuf fromA = a.readOutbound();
            ByteBuf fromB = b.readOutbound();
            b.writeInbound(fromA);
            a.writeInbound(fromB);
            assertArrayEquals(message, inbound(b));
            assertArrayEquals(message, inbound(a));
        }
        a.finish();
        b.finish();
    }

    @Test
    void aWrappedBufferIsCopiedBeforeItIsEncrypted() {
        EmbeddedChannel a = connecting(EncryptionPolicy.REQUIRE, HASH);
        EmbeddedChannel b = accepting(EncryptionPolicy.REQUIRE);
        shuttle(a, b);
        byte[] cachedPiece = "a cached piece, shared by every connection".getBytes(StandardCharsets.US_ASCII);
        byte[] before = cachedPiece.clone();
        a.writeOutbound(Unpooled.wrappedBuffer(cachedPiece));
        assertArrayEquals(before, cachedPiece);
        b.writeInbound((ByteBuf) a.readOutbound());
        assertArrayEquals(before, inbound(b));
        a.finish();
        b.finish();
    }

    /** What libtorrent sends: pads on both sides, the BitTorrent handshake as IA, messages straight after. */
    @Test
    void anInitialPayloadAndPaddingFromTheConnectingSideReachThePeerWireDecoder() {
        EmbeddedChannel b = new EmbeddedChannel(MseHandshake.accepting(EncryptionPolicy.PREFER, SERVED, RANDOM),
                new HandshakeDecoder(), new PeerWireEncoder());
        MseKeys keys = new MseKeys(RANDOM);
        byte[] padA = new byte[512];
        RANDOM.nextBytes(padA);
        b.writeInbound(Unpooled.wrappedBuffer(keys.publicKey(), padA));
        ByteBuf answer = b.readOutbound();
        byte[] yb = new byte[MseKeys.KEY_LENGTH];
        answer.readBytes(yb);
        answer.release();
        byte[] s = keys.secret(yb);
        Rc4 out = MseKeys.streamA(s, HASH);
        Rc4 in = MseKeys.streamB(s, HASH);
        Handshake handshake = Handshake.of(HASH, PeerId.random("-LT2080-"), true);
        ByteBuf ia = Unpooled.buffer();
        PeerMessageCodec.encodeHandshake(handshake, ia);
        byte[] initial = ByteBufUtil.getBytes(ia);
        ByteBuf step3 = Unpooled.buffer();
        step3.writeBytes(MseKeys.req1(s)).writeBytes(MseKeys.xor(MseKeys.req2(HASH), MseKeys.req3(s)));
        ByteBuf encrypted = Unpooled.buffer();
        encrypted.writeZero(8).writeInt(MseHandshake.CRYPTO_RC4 | MseHandshake.CRYPTO_PLAINTEXT).writeShort(100)
                .writeZero(100).writeShort(initial.length).writeBytes(initial);
        byte[] e = ByteBufUtil.getBytes(encrypted);
        out.apply(e, 0, e.length);
        step3.writeBytes(e);
        // libtorrent sends an interested straight after IA, before it knows what B selected: that is not allowed,
        // so the test sends it after reading step 4
        b.writeInbound(step3);
        b.checkException();
        assertEquals(handshake, b.readInbound());
        ByteBuf step4 = b.readOutbound();
        byte[] four = ByteBufUtil.getBytes(step4);
        step4.release();
        in.apply(four, 0, four.length);
        assertArrayEquals(new byte[8], Arrays.copyOf(four, 8), "B's verification constant");
        assertEquals(MseHandshake.CRYPTO_PLAINTEXT, four[11], "plaintext selected: both were offered, B prefers");
        ByteBuf interested = Unpooled.buffer();
        PeerMessageCodec.encode(new PeerMessage.Interested(), interested);
        b.writeInbound(interested);
        assertEquals(new PeerMessage.Interested(), b.readInbound());
        b.finish();
    }

    @Test
    void aPlaintextHandshakeIsPassedOnUntouchedUnlessEncryptionIsRequired() {
        ByteBuf plain = Unpooled.buffer();
        PeerMessageCodec.encodeHandshake(Handshake.of(HASH, PeerId.random("-TR3000-"), true), plain);
        byte[] bytes = ByteBufUtil.getBytes(plain);
        EmbeddedChannel prefer = accepting(EncryptionPolicy.PREFER);
        for (byte b : bytes) {
            prefer.writeInbound(Unpooled.wrappedBuffer(new byte[] {b}));
        }
        assertArrayEquals(bytes, inbound(prefer));
        assertEquals(MseHandshake.Method.PLAINTEXT, prefer.attr(MseHandshake.METHOD).get());
        assertNull(prefer.attr(MseHandshake.SKEY).get());

        EmbeddedChannel require = accepting(EncryptionPolicy.REQUIRE);
        MseException refused = assertThrows(MseException.class, () -> require.writeInbound(Unpooled.wrappedBuffer(bytes)));
        assertTrue(refused.getMessage().contains("requires encryption"), refused.getMessage());
    }

    @Test
    void aTorrentNotServedHereIsRefusedWithoutLearningItsHash() {
        EmbeddedChannel a = connecting(EncryptionPolicy.PREFER, InfoHash.fromHex("ffffffffffffffffffffffffffffffffffffffff"));
        EmbeddedChannel b = accepting(EncryptionPolicy.PREFER);
        MseException refused = assertThrows(MseException.class, () -> shuttle(a, b));
        assertTrue(refused.getMessage().contains("not served here"), refused.getMessage());
    }

    @Test
    void garbageInsteadOfAHandshakeIsRefusedOncePastTheLongestPadding() {
        EmbeddedChannel b = accepting(EncryptionPolicy.PREFER);
        byte[] garbage = new byte[MseKeys.KEY_LENGTH + 512 + 20];
        RANDOM.nextBytes(garbage);
        garbage[0] = 1;
        b.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOf(garbage, garbage.length - 1)));
        b.checkException(); // still within the window
        MseException refused = assertThrows(MseException.class,
                () -> b.writeInbound(Unpooled.wrappedBuffer(new byte[] {garbage[garbage.length - 1]})));
        assertTrue(refused.getMessage().contains("req1"), refused.getMessage());
        b.writeInbound(Unpooled.wrappedBuffer(new byte[100_000])); // ignored after the failure
        b.checkException();
        b.finish();
    }

    @Test
    void aPublicKeyThatFixesTheSecretIsRefused() {
        for (byte[] key : new byte[][] {new byte[96], one(), minusOne()}) {
            EmbeddedChannel b = accepting(EncryptionPolicy.PREFER);
            MseException refused = assertThrows(MseException.class, () -> b.writeInbound(Unpooled.wrappedBuffer(key)));
            assertTrue(refused.getMessage().contains("public key"), refused.getMessage());
        }
    }

    @Test
    void aWrongVerificationConstantOrAnOversizedPadIsRefused() {
        assertRefused(step3(new byte[] {1, 0, 0, 0, 0, 0, 0, 0}, 3, 0), "verification constant");
        assertRefused(step3(new byte[8], 3, 513), "PadC of 513");
        assertRefused(step3(new byte[8], 0, 0), "crypto_provide 0");
        assertRefused(step3(new byte[8], MseHandshake.CRYPTO_PLAINTEXT, 0, EncryptionPolicy.REQUIRE), "crypto_provide 1");
    }

    @Test
    void aConnectingSideRefusesASelectionItDidNotOffer() {
        EmbeddedChannel a = connecting(EncryptionPolicy.REQUIRE, HASH);
        ByteBuf ya = a.readOutbound();
        byte[] theirs = new byte[MseKeys.KEY_LENGTH];
        ya.readBytes(theirs);
        ya.release();
        MseKeys keys = new MseKeys(RANDOM);
        a.writeInbound(Unpooled.wrappedBuffer(keys.publicKey()));
        ((ByteBuf) a.readOutbound()).release();
        Rc4 out = MseKeys.streamB(keys.secret(theirs), HASH);
        byte[] step4 = new byte[8 + 4 + 2];
        step4[11] = MseHandshake.CRYPTO_PLAINTEXT; // A required RC4
        out.apply(step4, 0, step4.length);
        MseException refused = assertThrows(MseException.class, () -> a.writeInbound(Unpooled.wrappedBuffer(step4)));
        assertTrue(refused.getMessage().contains("crypto_select 1"), refused.getMessage());
    }

    private static MseException step3(byte[] vc, int provide, int padC) {
        return step3(vc, provide, padC, EncryptionPolicy.PREFER);
    }

    /** What an accepting channel fed a step 3 with these fields throws. */
    private static MseException step3(byte[] vc, int provide, int padC, EncryptionPolicy policy) {
        EmbeddedChannel b = accepting(policy);
        MseKeys keys = new MseKeys(RANDOM);
        b.writeInbound(Unpooled.wrappedBuffer(keys.publicKey()));
        ByteBuf answer = b.readOutbound();
        byte[] yb = new byte[MseKeys.KEY_LENGTH];
        answer.readBytes(yb);
        answer.release();
        byte[] s = keys.secret(yb);
        byte[] e = Unpooled.buffer().writeBytes(vc).writeInt(provide).writeShort(padC).writeZero(Math.min(padC, 600))
                .writeShort(0).array();
        e = Arrays.copyOf(e, 8 + 4 + 2 + Math.min(padC, 600) + 2);
        MseKeys.streamA(s, HASH).apply(e, 0, e.length);
        ByteBuf step3 = Unpooled.wrappedBuffer(MseKeys.req1(s), MseKeys.xor(MseKeys.req2(HASH), MseKeys.req3(s)), e);
        MseException refused = assertThrows(MseException.class, () -> b.writeInbound(step3));
        assertNull(b.readInbound(), "nothing reaches the peer wire");
        return refused;
    }

    private static void assertRefused(MseException refused, String reason) {
        assertTrue(refused.getMessage().contains(reason), refused.getMessage());
    }

    private static byte[] one() {
        byte[] key = new byte[96];
        key[95] = 1;
        return key;
    }

    private static byte[] minusOne() {
        byte[] key = new BigInteger(
                "FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22514A08798E3404DDEF9519B3CD3A43"
                        + "1B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6F44C42E9A63A36210000000000090562", 16).toByteArray();
        return Arrays.copyOfRange(key, key.length - 96, key.length);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int at = 0; at <= haystack.length - needle.length; at++) {
            for (int k = 0; k < needle.length; k++) {
                if (haystack[at + k] != needle[k]) {
                    continue outer;
                }
            }
            return at;
        }
        return -1;
    }
}
