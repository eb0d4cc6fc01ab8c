package io.shoal.bittorrent.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.shoal.bittorrent.metainfo.InfoHash;
import io.shoal.bittorrent.metainfo.PeerId;
import io.shoal.bittorrent.peerwire.ExtensionHandshake;
import io.shoal.bittorrent.peerwire.Handshake;
import io.shoal.bittorrent.peerwire.HandshakeDecoder;
import io.shoal.bittorrent.peerwire.PeerMessage;
import io.shoal.bittorrent.peerwire.PeerMessageCodec;
import io.shoal.bittorrent.peerwire.PeerWireException;
import io.shoal.bittorrent.peerwire.PexMessage;
import io.shoal.bittorrent.peerwire.UtMetadataMessage;

/**
 * After a valid handshake, arbitrary bytes in two writes through the real pipeline; and the extension
 * payload decoders on arbitrary bytes. Only Netty's DecoderException family (PeerWireException among
 * them) may escape.
 */
public class PeerWireFuzzTest {

    private static final byte[] HANDSHAKE;

    static {
        ByteBuf out = Unpooled.buffer();
        PeerMessageCodec.encodeHandshake(Handshake.of(InfoHash.of(new byte[20]), PeerId.random("-SH0100-"), true), out);
        HANDSHAKE = new byte[out.readableBytes()];
        out.readBytes(HANDSHAKE);
    }

    public static void fuzzerTestOneInput(byte[] input) {
        EmbeddedChannel channel = new EmbeddedChannel(new HandshakeDecoder());
        try {
            int split = input.length == 0 ? 0 : (input[0] & 0xff) % (input.length + 1);
            channel.writeInbound(Unpooled.wrappedBuffer(HANDSHAKE, java.util.Arrays.copyOf(input, split)));
            channel.writeInbound(Unpooled.wrappedBuffer(java.util.Arrays.copyOfRange(input, split, input.length)));
            for (Object m; (m = channel.readInbound()) != null; ) {
                if (m instanceof PeerMessage.Extended e) {
                    extension(e.payload());
                }
            }
        } catch (DecoderException expected) {
            // closes the connection in the seeder
        } finally {
            channel.finishAndReleaseAll();
        }
        extension(input);
    }

    private static void extension(byte[] payload) {
        try {
            ExtensionHandshake.decode(payload);
        } catch (PeerWireException expected) {
            // not a handshake
        }
        try {
            UtMetadataMessage.decode(payload);
        } catch (PeerWireException expected) {
            // not a metadata message
        }
        try {
            PexMessage.decode(payload);
        } catch (PeerWireException expected) {
            // not a PEX message
        }
    }

    @FuzzTest(maxDuration = "10s")
    void peerWireDecoder(byte[] input) {
        fuzzerTestOneInput(input);
    }
}
