package io.shoal.bittorrent.peerwire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/** Writes handshakes and peer messages; stateless, so one instance can serve every channel. */
@ChannelHandler.Sharable
public final class PeerWireEncoder extends MessageToByteEncoder<Object> {

    @Override
    public boolean acceptOutboundMessage(Object msg) {
        return msg instanceof Handshake || msg instanceof PeerMessage;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Object msg, ByteBuf out) {
        switch (msg) {
            case Handshake h -> PeerMessageCodec.encodeHandshake(h, out);
            case PeerMessage m -> PeerMessageCodec.encode(m, out);
            default -> throw new IllegalArgumentException("not a peer wire message: " + msg.getClass());
        }
    }
}
