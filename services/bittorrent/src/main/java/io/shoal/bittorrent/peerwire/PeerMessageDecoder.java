package io.shoal.bittorrent.peerwire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.util.List;

/** One frame (length prefix already stripped) to one {@link PeerMessage}. */
public final class PeerMessageDecoder extends MessageToMessageDecoder<ByteBuf> {

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) {
        out.add(PeerMessageCodec.decode(frame));
    }
}
