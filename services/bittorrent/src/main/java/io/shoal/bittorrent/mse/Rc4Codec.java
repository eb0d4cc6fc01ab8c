package io.shoal.bittorrent.mse;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * The payload stream after an MSE handshake that selected RC4: every byte read is decrypted with the
 * peer's stream, every byte written encrypted with ours. Writes are copied before they are encrypted, so a
 * buffer that wraps shared memory (a cached piece) is never changed.
 */
final class Rc4Codec extends ChannelDuplexHandler {

    private final Rc4 in;
    private final Rc4 out;

    Rc4Codec(Rc4 in, Rc4 out) {
        this.in = in;
        this.out = out;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf encrypted) {
            ctx.fireChannelRead(transform(ctx, encrypted, in));
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf plain) {
            ctx.write(transform(ctx, plain, out), promise);
        } else {
            ctx.write(msg, promise);
        }
    }

    private static ByteBuf transform(ChannelHandlerContext ctx, ByteBuf source, Rc4 stream) {
        try {
            ByteBuf copy = ctx.alloc().heapBuffer(source.readableBytes());
            copy.writeBytes(source);
            stream.apply(copy);
            return copy;
        } finally {
            source.release();
        }
    }
}
