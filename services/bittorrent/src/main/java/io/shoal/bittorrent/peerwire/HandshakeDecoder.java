package io.shoal.bittorrent.peerwire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import java.util.List;

/**
 * Reads the 68-byte handshake, then replaces itself with the length-prefixed message framing (Netty's
 * port-unification pattern), so every later byte goes to {@link PeerMessageDecoder}.
 */
public final class HandshakeDecoder extends ByteToMessageDecoder {

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.readableBytes() >= 1 && in.getUnsignedByte(in.readerIndex()) != 19) {
            throw new PeerWireException("handshake protocol length " + in.getUnsignedByte(in.readerIndex()) + " (expected: 19)");
        }
        if (in.readableBytes() < Handshake.LENGTH) {
            return;
        }
        out.add(PeerMessageCodec.decodeHandshake(in));
        ctx.pipeline().addAfter(ctx.name(), "peer-message-decoder", new PeerMessageDecoder());
        ctx.pipeline().addAfter(ctx.name(), "peer-frame-decoder", frameDecoder());
        ctx.pipeline().remove(this); // hands any bytes already read on to the frame decoder
    }

    /** {@code <length:u32><frame>}, the prefix stripped, frames over {@link PeerMessageCodec#MAX_FRAME} refused. */
    public static LengthFieldBasedFrameDecoder frameDecoder() {
        return new LengthFieldBasedFrameDecoder(PeerMessageCodec.MAX_FRAME + 4, 0, 4, 0, 4, true);
    }
}
