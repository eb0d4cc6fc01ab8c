package io.shoal.bittorrent.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.shoal.bittorrent.metainfo.InfoHash;
import io.shoal.bittorrent.mse.EncryptionPolicy;
import io.shoal.bittorrent.mse.MseHandshake;
import io.shoal.bittorrent.peerwire.HandshakeDecoder;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;

/**
 * Arbitrary bytes, in two reads, to both sides of the encrypted handshake in front of the real peer wire
 * decoder. Only Netty's DecoderException family (MseException, PeerWireException) may escape; nothing is
 * buffered past the handshake's bound.
 */
public class MseFuzzTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final InfoHash HASH = InfoHash.fromHex("c12fe1c06bba254a9dc9f519b335aa7c1367a88a");

    public static void fuzzerTestOneInput(byte[] input) {
        feed(new EmbeddedChannel(MseHandshake.accepting(EncryptionPolicy.PREFER, req2 -> Optional.of(HASH), RANDOM),
                new HandshakeDecoder()), input);
        feed(new EmbeddedChannel(MseHandshake.connecting(EncryptionPolicy.PREFER, HASH, RANDOM), new HandshakeDecoder()), input);
    }

    private static void feed(EmbeddedChannel channel, byte[] input) {
        try {
            int split = input.length == 0 ? 0 : (input[0] & 0xff) % (input.length + 1);
            channel.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOf(input, split)));
            channel.writeInbound(Unpooled.wrappedBuffer(Arrays.copyOfRange(input, split, input.length)));
        } catch (DecoderException expected) {
            // closes the connection in the seeder
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    @FuzzTest(maxDuration = "10s")
    void encryptedHandshake(byte[] input) {
        fuzzerTestOneInput(input);
    }
}
