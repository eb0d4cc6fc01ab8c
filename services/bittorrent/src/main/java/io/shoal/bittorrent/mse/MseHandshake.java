package io.shoal.bittorrent.mse;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import io.shoal.bittorrent.metainfo.InfoHash;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Optional;

/**
 * Message Stream Encryption (the "PE" libtorrent, Transmission, rtorrent, qBittorrent and aria2 speak), as
 * the first handler of a peer wire pipeline. The connecting side A and the accepting side B exchange
 * Diffie-Hellman keys, then:
 * <pre>
 * 3 A-&gt;B: HASH('req1', S), HASH('req2', SKEY) xor HASH('req3', S), ENCRYPT(VC, crypto_provide, len(PadC), PadC, len(IA)), ENCRYPT(IA)
 * 4 B-&gt;A: ENCRYPT(VC, crypto_select, len(padD), padD), ENCRYPT2(payload)
 * </pre>
 * SKEY is the info-hash: A names the torrent without sending it in the clear, and B finds it among those it
 * serves by HASH('req2', SKEY). Once negotiated the handler leaves the pipeline, putting an {@link Rc4Codec}
 * in its place when RC4 was selected, and passes on what it read after the handshake (IA first). Whatever
 * the handlers behind it write before then is held back and sent through the negotiated stream.
 *
 * <p>Accepting, a plaintext BitTorrent handshake is recognised by its first 20 bytes and passed on
 * untouched, unless the policy is {@link EncryptionPolicy#REQUIRE}. Every length the peer sends is bounded by
 * the spec (pads of at most 512 bytes, the sync patterns within their windows); anything else fails the
 * channel with an {@link MseException}, and the handlers behind decide how to close.
 */
public final class MseHandshake extends ChannelDuplexHandler {

    /** What a negotiated connection carries. */
    public enum Method {
        /** No encrypted handshake: a plaintext BitTorrent handshake came first. */
        PLAINTEXT,
        /** An encrypted handshake that selected a plaintext payload. */
        MSE_PLAINTEXT,
        /** An encrypted handshake and an RC4 payload. */
        RC4
    }

    /** The info-hash the encrypted handshake named (SKEY); the BitTorrent handshake after it must name the same. */
    public static final AttributeKey<InfoHash> SKEY = AttributeKey.valueOf("shoal.mse.skey");
    /** How the connection was negotiated; unset until it is. */
    public static final AttributeKey<Method> METHOD = AttributeKey.valueOf("shoal.mse.method");

    /** The torrents an accepting side serves, found by {@code HASH('req2', info-hash)}. */
    @FunctionalInterface
    public interface Torrents {
        Optional<InfoHash> byReq2(byte[] req2);
    }

    static final int CRYPTO_PLAINTEXT = 1;
    static final int CRYPTO_RC4 = 2;
    static final int MAX_PAD = 512;
    private static final byte[] PROTOCOL = "\u0013BitTorrent protocol".getBytes(StandardCharsets.US_ASCII);
    private static final int VC_LENGTH = 8;
    /** Nothing legitimate needs more buffered before the handshake completes: pads, IA (u16) and slack. */
    private static final int MAX_BUFFERED = 2 * MseKeys.KEY_LENGTH + 4 * MAX_PAD + 65_535 + 4096;

    private enum State { DETECT, PUBLIC_KEY, SYNC, SKEY, PROVIDE, PAD_C, IA, SELECT, PAD_D, DONE, FAILED }

    private final boolean accepting;
    private final EncryptionPolicy policy;
    private final Torrents torrents;
    private final SecureRandom random;
    private final ArrayDeque<PendingWrite> held = new ArrayDeque<>();
    private InfoHash skey;
    private State state;
    private ByteBuf buffered;
    private MseKeys keys;
    private byte[] secret;
    private byte[] syncPattern;
    private int syncWindow;
    private Rc4 in;
    private Rc4 out;
    /** Accepting: the methods the peer's crypto_provide offers. */
    private int provided;
    /** Connecting: the one method the peer's crypto_select chose. */
    private int selected;
    private int padLength;
    private int initialPayloadLength;

    private record PendingWrite(Object message, ChannelPromise promise) {
    }

    private MseHandshake(boolean accepting, EncryptionPolicy policy, Torrents torrents, InfoHash skey, SecureRandom random) {
        if (policy == EncryptionPolicy.OFF) {
            throw new IllegalArgumentException("no encrypted handshake with encryption off");
        }
        this.accepting = accepting;
        this.policy = policy;
        this.torrents = torrents;
        this.skey = skey;
        this.random = random;
        this.state = accepting ? State.DETECT : State.PUBLIC_KEY;
    }

    /** For a connection a peer opened: encrypted or (unless required) plaintext, for any of {@code torrents}. */
    public static MseHandshake accepting(EncryptionPolicy policy, Torrents torrents, SecureRandom random) {
        return new MseHandshake(true, policy, torrents, null, random);
    }

    /** For a connection we open to a peer of the torrent {@code infoHash}. */
    public static MseHandshake connecting(EncryptionPolicy policy, InfoHash infoHash, SecureRandom random) {
        return new MseHandshake(false, policy, null, infoHash, random);
    }

    /** {@code HASH('req2', infoHash)}: how an encrypted handshake names a torrent ({@link Torrents} looks it up). */
    public static byte[] req2(InfoHash infoHash) {
        return MseKeys.req2(infoHash);
    }

    /** Whether the handshake finished (and the handler left the pipeline). */
    public boolean negotiated() {
        return state == State.DONE;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        buffered = ctx.alloc().heapBuffer(256);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (!accepting) {
            keys = new MseKeys(random);
            ctx.writeAndFlush(Unpooled.wrappedBuffer(keys.publicKey(), padding()));
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf bytes) || state == State.DONE) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            if (state == State.FAILED) {
                return;
            }
            if (buffered.readableBytes() + bytes.readableBytes() > MAX_BUFFERED) {
                throw new MseException("more than " + MAX_BUFFERED + " bytes before the encrypted handshake completed");
            }
            buffered.writeBytes(bytes);
            while (state != State.DONE && step(ctx)) {
                // each step consumes what it needs or waits for more
            }
        } catch (MseException e) {
            state = State.FAILED;
            buffered.clear();
            ctx.fireExceptionCaught(e);
        } finally {
            bytes.release();
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (state == State.DONE) {
            ctx.write(msg, promise);
        } else {
            held.add(new PendingWrite(msg, promise));
        }
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        if (state == State.DONE) {
            ctx.flush();
        }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (buffered != null) {
            buffered.release();
            buffered = null;
        }
        failHeld();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        failHeld();
        ctx.fireChannelInactive();
    }

    private void failHeld() {
        for (PendingWrite w; (w = held.poll()) != null; ) {
            ReferenceCountUtil.release(w.message());
            w.promise().tryFailure(new ClosedChannelException());
        }
    }

    /** One step of the handshake; false when it needs more bytes. */
    private boolean step(ChannelHandlerContext ctx) {
        return switch (state) {
            case DETECT -> detect(ctx);
            case PUBLIC_KEY -> publicKey(ctx);
            case SYNC -> sync();
            case SKEY -> skey();
            case PROVIDE -> provide();
            case PAD_C -> padC();
            case IA -> initialPayload(ctx);
            case SELECT -> select();
            case PAD_D -> padD(ctx);
            case DONE, FAILED -> false;
        };
    }

    private boolean detect(ChannelHandlerContext ctx) {
        int n = Math.min(PROTOCOL.length, buffered.readableBytes());
        for (int k = 0; k < n; k++) {
            if (buffered.getByte(buffered.readerIndex() + k) != PROTOCOL[k]) {
                state = State.PUBLIC_KEY; // a Diffie-Hellman key starts this way with odds of 2^-160
                return true;
            }
        }
        if (n < PROTOCOL.length) {
            return false;
        }
        if (policy == EncryptionPolicy.REQUIRE) {
            throw new MseException("a plaintext handshake, and this side requires encryption");
        }
        finish(ctx, Method.PLAINTEXT, Unpooled.EMPTY_BUFFER);
        return false;
    }

    private boolean publicKey(ChannelHandlerContext ctx) {
        if (buffered.readableBytes() < MseKeys.KEY_LENGTH) {
            return false;
        }
        byte[] theirs = new byte[MseKeys.KEY_LENGTH];
        buffered.readBytes(theirs);
        if (keys == null) {
            keys = new MseKeys(random);
        }
        secret = keys.secret(theirs);
        if (secret == null) {
            throw new MseException("a Diffie-Hellman public key outside 2..P-2");
        }
        if (accepting) {
            ctx.writeAndFlush(Unpooled.wrappedBuffer(keys.publicKey(), padding()));
            syncPattern = MseKeys.req1(secret);
            syncWindow = MAX_PAD + syncPattern.length;
        } else {
            out = MseKeys.streamA(secret, skey);
            in = MseKeys.streamB(secret, skey);
            syncPattern = new byte[VC_LENGTH]; // B's encrypted VC: the first 8 bytes of its stream
            in.apply(syncPattern, 0, VC_LENGTH);
            syncWindow = MAX_PAD + VC_LENGTH;
            byte[] encrypted = new byte[VC_LENGTH + 4 + 2 + 2]; // VC, crypto_provide, len(PadC) 0, len(IA) 0
            encrypted[VC_LENGTH + 3] = (byte) offered();
            out.apply(encrypted, 0, encrypted.length);
            ctx.writeAndFlush(Unpooled.wrappedBuffer(MseKeys.req1(secret),
                    MseKeys.xor(MseKeys.req2(skey), MseKeys.req3(secret)), encrypted));
        }
        state = State.SYNC;
        return true;
    }

    /** Finds the pattern after the other side's pad: HASH('req1', S) accepting, B's encrypted VC connecting. */
    private boolean sync() {
        int at = indexOf(buffered, syncPattern);
        if (at < 0) {
            if (buffered.readableBytes() >= syncWindow) {
                throw new MseException(accepting ? "no HASH('req1', S) within 512 bytes of padding"
                        : "no verification constant within 512 bytes of padding");
            }
            return false;
        }
        if (at + syncPattern.length > syncWindow) {
            throw new MseException("padding longer than 512 bytes");
        }
        buffered.skipBytes(at + syncPattern.length);
        state = accepting ? State.SKEY : State.SELECT;
        return true;
    }

    private boolean skey() {
        if (buffered.readableBytes() < 20) {
            return false;
        }
        byte[] obfuscated = new byte[20];
        buffered.readBytes(obfuscated);
        skey = torrents.byReq2(MseKeys.xor(obfuscated, MseKeys.req3(secret)))
                .orElseThrow(() -> new MseException("an encrypted handshake for a torrent not served here"));
        in = MseKeys.streamA(secret, skey);
        out = MseKeys.streamB(secret, skey);
        state = State.PROVIDE;
        return true;
    }

    private boolean provide() {
        if (buffered.readableBytes() < VC_LENGTH + 4 + 2) {
            return false;
        }
        byte[] plain = decrypt(VC_LENGTH + 4 + 2);
        verificationConstant(plain);
        provided = readInt(plain, VC_LENGTH);
        padLength = unsignedShort(plain, VC_LENGTH + 4);
        if (padLength > MAX_PAD) {
            throw new MseException("PadC of " + padLength + " bytes (at most " + MAX_PAD + ")");
        }
        state = State.PAD_C;
        return true;
    }

    private boolean padC() {
        if (buffered.readableBytes() < padLength + 2) {
            return false;
        }
        byte[] plain = decrypt(padLength + 2);
        initialPayloadLength = unsignedShort(plain, padLength);
        state = State.IA;
        return true;
    }

    private boolean initialPayload(ChannelHandlerContext ctx) {
        if (buffered.readableBytes() < initialPayloadLength) {
            return false;
        }
        byte[] initial = decrypt(initialPayloadLength); // IA is always RC4, whatever is selected for later
        int select;
        if ((provided & CRYPTO_RC4) != 0 && (policy == EncryptionPolicy.REQUIRE || (provided & CRYPTO_PLAINTEXT) == 0)) {
            select = CRYPTO_RC4;
        } else if ((provided & CRYPTO_PLAINTEXT) != 0 && policy != EncryptionPolicy.REQUIRE) {
            select = CRYPTO_PLAINTEXT;
        } else {
            throw new MseException("crypto_provide " + provided + " offers nothing this side accepts ("
                    + (policy == EncryptionPolicy.REQUIRE ? "RC4" : "plaintext or RC4") + ")");
        }
        byte[] answer = new byte[VC_LENGTH + 4 + 2]; // VC, crypto_select, len(padD) 0
        answer[VC_LENGTH + 3] = (byte) select;
        out.apply(answer, 0, answer.length);
        ctx.write(Unpooled.wrappedBuffer(answer));
        finish(ctx, select == CRYPTO_RC4 ? Method.RC4 : Method.MSE_PLAINTEXT, Unpooled.wrappedBuffer(initial));
        return false;
    }

    private boolean select() {
        if (buffered.readableBytes() < 4 + 2) {
            return false;
        }
        byte[] plain = decrypt(4 + 2);
        selected = readInt(plain, 0);
        if (Integer.bitCount(selected) != 1 || (selected & offered()) == 0) {
            throw new MseException("crypto_select " + selected + " is not one of the methods offered (" + offered() + ")");
        }
        padLength = unsignedShort(plain, 4);
        if (padLength > MAX_PAD) {
            throw new MseException("padD of " + padLength + " bytes (at most " + MAX_PAD + ")");
        }
        state = State.PAD_D;
        return true;
    }

    private boolean padD(ChannelHandlerContext ctx) {
        if (buffered.readableBytes() < padLength) {
            return false;
        }
        decrypt(padLength);
        finish(ctx, selected == CRYPTO_RC4 ? Method.RC4 : Method.MSE_PLAINTEXT, Unpooled.EMPTY_BUFFER);
        return false;
    }

    /**
     * Leaves the pipeline: an RC4 codec in our place if selected, the held writes sent through it, then what
     * was read after the handshake passed on to the handlers behind.
     */
    private void finish(ChannelHandlerContext ctx, Method method, ByteBuf initial) {
        state = State.DONE;
        ctx.channel().attr(METHOD).set(method);
        if (skey != null) {
            ctx.channel().attr(SKEY).set(skey);
        }
        ByteBuf rest = buffered.readBytes(buffered.readableBytes()); // a heap copy of its own
        if (method == Method.RC4) {
            ctx.pipeline().addBefore(ctx.name(), "mse-rc4", new Rc4Codec(in, out));
            in.apply(rest);
        }
        for (PendingWrite w; (w = held.poll()) != null; ) {
            ctx.write(w.message(), w.promise());
        }
        ctx.flush();
        ByteBuf after = Unpooled.wrappedBuffer(initial, rest);
        if (after.isReadable()) {
            ctx.fireChannelRead(after); // writes it causes pass straight through: we are DONE
        } else {
            after.release();
        }
        if (ctx.pipeline().context(this) != null) {
            ctx.pipeline().remove(this);
        }
    }

    /** Connecting: what our crypto_provide offers (RC4 only when encryption is required). */
    private int offered() {
        return policy == EncryptionPolicy.REQUIRE ? CRYPTO_RC4 : CRYPTO_RC4 | CRYPTO_PLAINTEXT;
    }

    private byte[] decrypt(int length) {
        byte[] plain = new byte[length];
        buffered.readBytes(plain);
        in.apply(plain, 0, length);
        return plain;
    }

    private static void verificationConstant(byte[] plain) {
        for (int k = 0; k < VC_LENGTH; k++) {
            if (plain[k] != 0) {
                throw new MseException("the verification constant does not decrypt to zeros");
            }
        }
    }

    private byte[] padding() {
        byte[] pad = new byte[random.nextInt(MAX_PAD + 1)];
        random.nextBytes(pad);
        return pad;
    }

    private static int indexOf(ByteBuf buf, byte[] pattern) {
        int start = buf.readerIndex();
        int last = buf.writerIndex() - pattern.length;
        outer:
        for (int at = start; at <= last; at++) {
            for (int k = 0; k < pattern.length; k++) {
                if (buf.getByte(at + k) != pattern[k]) {
                    continue outer;
                }
            }
            return at - start;
        }
        return -1;
    }

    private static int readInt(byte[] b, int at) {
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }

    private static int unsignedShort(byte[] b, int at) {
        return (b[at] & 0xff) << 8 | (b[at + 1] & 0xff);
    }

    @Override
    public String toString() {
        return "MseHandshake[" + (accepting ? "accepting" : "connecting") + ", " + policy + ", " + state + "]";
    }
}
