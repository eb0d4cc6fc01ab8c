package io.shoal.seeder.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.shoal.bittorrent.metainfo.InfoHash;
import io.shoal.bittorrent.peerwire.Handshake;
import io.shoal.bittorrent.peerwire.PeerMessage;
import io.shoal.bittorrent.peerwire.PeerMessage.Bitfield;
import io.shoal.bittorrent.peerwire.PeerMessage.Cancel;
import io.shoal.bittorrent.peerwire.PeerMessage.Extended;
import io.shoal.bittorrent.peerwire.PeerMessage.HashRequest;
import io.shoal.bittorrent.peerwire.PeerMessage.Hashes;
import io.shoal.bittorrent.peerwire.PeerMessage.Have;
import io.shoal.bittorrent.peerwire.PeerMessage.HaveAll;
import io.shoal.bittorrent.peerwire.PeerMessage.HaveNone;
import io.shoal.bittorrent.peerwire.PeerMessage.Interested;
import io.shoal.bittorrent.peerwire.PeerMessage.NotInterested;
import io.shoal.bittorrent.peerwire.PeerMessage.Piece;
import io.shoal.bittorrent.peerwire.PeerMessage.RejectRequest;
import io.shoal.bittorrent.peerwire.PeerMessage.Request;
import io.shoal.bittorrent.peerwire.PeerWireException;
import io.shoal.seeder.swarm.PeerLedger;
import io.shoal.seeder.swarm.Swarm;
import io.shoal.seeder.torrent.SeededTorrent;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * One peer connection, from handshake to close, on its channel's event loop. The peer is a leecher: we
 * claim every piece (or, super-seeding, the ones we offer), answer its requests from verified pieces, and
 * close the connection, with one log line, at the first thing the protocol does not allow.
 *
 * <p>Blocks are written as a 13-byte header and a slice of the cached piece, without copying the piece.
 */
public final class PeerConnection extends ChannelInboundHandlerAdapter implements Swarm.Peer {

    private static final Logger LOG = Logger.getLogger(PeerConnection.class);

    private final Seeding seeding;
    private final WireSettings settings;
    /** For a connection we opened: the swarm and hash we dialled for. */
    private final Swarm dialled;
    private final InfoHash dialledHash;

    private Channel channel;
    private ScheduledFuture<?> handshakeTimeout;
    private Swarm swarm;
    private SeededTorrent torrent;
    private PeerLedger account;
    private boolean counted;
    private boolean joined;
    private boolean fast;
    private ExtensionExchange extensions;
    private final ArrayDeque<Request> requests = new ArrayDeque<>();
    private boolean loading;
    private volatile boolean unchoked;
    private volatile boolean interested;
    private volatile long stateSince = System.nanoTime();
    private volatile long servedThisRound;
    private String closing;

    /** A connection a peer opened to us. */
    public PeerConnection(Seeding seeding) {
        this(seeding, null, null);
    }

    /** A connection we open to a leecher of {@code swarm}, handshaking with {@code hash}. */
    public PeerConnection(Seeding seeding, Swarm swarm, InfoHash hash) {
        this.seeding = seeding;
        this.settings = seeding.settings();
        this.dialled = swarm;
        this.dialledHash = hash;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        if (!seeding.openConnection()) {
            seeding.events().closed("full");
            LOG.debugf("refusing %s: this worker has %d connections", channel.remoteAddress(), settings.total());
            ctx.close();
            return;
        }
        counted = true;
        seeding.events().opened(dialled != null);
        handshakeTimeout = ctx.executor().schedule(() -> close("timeout", "no handshake within "
                + settings.handshakeTimeout().toSeconds() + " s"), settings.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS);
        if (dialled != null) {
            ctx.writeAndFlush(Handshake.of(dialledHash, seeding.peerId(), false));
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (handshakeTimeout != null) {
            handshakeTimeout.cancel(false);
        }
        if (counted) {
            seeding.closeConnection();
            if (closing == null) {
                seeding.events().closed("closed");
            }
        }
        if (joined) {
            swarm.leave(this);
        }
        requests.clear();
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closing != null) {
            return;
        }
        switch (msg) {
            case Handshake h -> handshake(ctx, h);
            case PeerMessage m when swarm != null -> message(ctx, m);
            default -> close("protocol", "message before the handshake");
        }
    }

    private void handshake(ChannelHandlerContext ctx, Handshake handshake) {
        if (swarm != null) {
            close("protocol", "a second handshake");
            return;
        }
        handshakeTimeout.cancel(false);
        Optional<Swarm> found = dialled != null
                ? (handshake.infoHash().equals(dialledHash) ? Optional.of(dialled) : Optional.empty())
                : seeding.swarm(handshake.infoHash());
        if (found.isEmpty() || found.get().closed()) {
            close("unknown_torrent", "info-hash " + handshake.infoHash() + " is not seeded here");
            return;
        }
        if (handshake.peerId().equals(seeding.peerId())) {
            close("bad_handshake", "connected to ourselves");
            return;
        }
        swarm = found.get();
        torrent = swarm.torrent();
        if (!swarm.join(this, settings.perTorrent())) {
            close("full", "torrent " + torrent.key() + " has " + settings.perTorrent() + " peers");
            return;
        }
        joined = true;
        fast = handshake.fastExtension();
        extensions = new ExtensionExchange(torrent);
        account = swarm.account(handshake.peerId().toString(), remoteHost());
        if (dialled == null) {
            ctx.write(Handshake.of(handshake.infoHash(), seeding.peerId(), false));
        }
        // BEP 6: have-all / have-none only straight after the handshake; BEP 16: a super-seed claims nothing
        if (swarm.superSeeding()) {
            if (fast) {
                ctx.write(new HaveNone());
            }
        } else if (fast) {
            ctx.write(new HaveAll());
        } else {
            ctx.write(new Bitfield(allPieces(torrent.pieceCount())));
        }
        if (handshake.extensionProtocol()) {
            ctx.write(ExtensionExchange.handshake(torrent, settings));
        }
        ctx.flush();
        if (swarm.superSeeding()) {
            swarm.offerNext(this);
        }
    }

    static byte[] allPieces(int count) {
        byte[] bits = new byte[(count + 7) / 8];
        java.util.Arrays.fill(bits, (byte) 0xff);
        if (count % 8 != 0) {
            bits[bits.length - 1] = (byte) (0xff << (8 - count % 8));
        }
        return bits;
    }

    private void message(ChannelHandlerContext ctx, PeerMessage message) {
        switch (message) {
            case Interested m -> {
                interested = true;
                swarm.interested(this);
            }
            case NotInterested m -> {
                interested = false;
                swarm.notInterested(this);
            }
            case Request r -> request(ctx, r);
            case Cancel c -> cancel(ctx, c);
            case Have h -> {
                if (h.index() >= torrent.pieceCount()) {
                    close("out_of_range", "have for piece " + h.index() + " of " + torrent.pieceCount());
                    return;
                }
                swarm.has(this, h.index());
            }
            case Bitfield b -> bitfield(b);
            case HaveAll m -> {
                close("seed", "a seed, like us: nothing to trade");
            }
            case Extended e -> extended(ctx, e);
            case HashRequest h when !h.reject() -> hashRequest(ctx, h);
            case Piece p -> account.received(p.block().length); // unrequested: a seed wants nothing
            default -> {
                // keep-alive, choke, unchoke, port, suggest, allowed fast, reject, hashes, unknown ids: nothing to do
            }
        }
    }

    private void bitfield(Bitfield b) {
        byte[] bits = b.bits();
        int count = torrent.pieceCount();
        if (bits.length != (count + 7) / 8) {
            close("protocol", "bitfield of " + bits.length + " bytes (expected: " + (count + 7) / 8 + ")");
            return;
        }
        for (int p = count; p < bits.length * 8; p++) {
            if (b.has(p)) {
                close("protocol", "bitfield sets spare bit " + p);
                return;
            }
        }
        int had = 0;
        for (int p = 0; p < count; p++) {
            if (b.has(p)) {
                had++;
                swarm.has(this, p);
            }
        }
        if (had == count) {
            close("seed", "a seed, like us: nothing to trade");
        }
    }

    private void request(ChannelHandlerContext ctx, Request r) {
        if (r.index() >= torrent.pieceCount() || r.length() == 0 || r.length() > WireSettings.MAX_BLOCK
                || (long) r.begin() + r.length() > torrent.requestableSize(r.index())) {
            close("out_of_range", "request " + r.index() + "/" + r.begin() + "+" + r.length() + " is outside the torrent"
                    + " or larger than " + WireSettings.MAX_BLOCK);
            return;
        }
        if (!unchoked || !swarm.mayRequest(this, r.index())) {
            reject(ctx, r);
            ctx.flush();
            return;
        }
        if (requests.size() >= 2 * settings.requestQueue()) {
            close("flood", requests.size() + " requests queued (we said reqq " + settings.requestQueue() + ")");
            return;
        }
        requests.add(r);
        serve(ctx);
    }

    private void reject(ChannelHandlerContext ctx, Request r) {
        if (fast) { // BEP 6; without it a choked peer's requests are dropped
            ctx.write(new RejectRequest(r.index(), r.begin(), r.length()));
        }
    }

    private void cancel(ChannelHandlerContext ctx, Cancel c) {
        Iterator<Request> it = requests.iterator();
        while (it.hasNext()) {
            Request r = it.next();
            if (r.index() == c.index() && r.begin() == c.begin() && r.length() == c.length()) {
                it.remove();
                reject(ctx, r); // BEP 6: a cancelled request is answered with a reject
                ctx.flush();
                return;
            }
        }
    }

    /** Writes queued blocks while the socket takes them; a piece not in memory is read first, then we go on. */
    private void serve(ChannelHandlerContext ctx) {
        boolean wrote = false;
        while (!loading && !requests.isEmpty() && channel.isWritable() && closing == null) {
            Request r = requests.peek();
            byte[] piece = seeding.store().cached(torrent, r.index());
            if (piece == null) {
                loading = true;
                prefetchQueued(r.index());
                seeding.store().load(torrent, r.index()).whenComplete((bytes, failure) -> ctx.executor().execute(() -> {
                    loading = false;
                    if (failure != null) {
                        unavailable(ctx, r.index(), failure);
                    }
                    serve(ctx);
                }));
                break;
            }
            requests.poll();
            ByteBuf header = ctx.alloc().buffer(13);
            header.writeInt(9 + r.length()).writeByte(PeerMessage.PIECE).writeInt(r.index()).writeInt(r.begin());
            ctx.write(header);
            ctx.write(Unpooled.wrappedBuffer(piece, r.begin(), r.length()));
            swarm.served(account, r.length());
            servedThisRound += r.length();
            seeding.events().served(r.length());
            wrote = true;
        }
        if (wrote) {
            ctx.flush();
        }
    }

    /**
     * Starts reading the other pieces this peer has asked for while the first is read, so a peer's queue
     * costs one store round trip, not one per piece (the store shares reads and bounds them by its readers).
     */
    private void prefetchQueued(int loadingPiece) {
        int previous = loadingPiece;
        for (Request queued : requests) {
            if (queued.index() != previous && queued.index() != loadingPiece) {
                seeding.store().load(torrent, queued.index());
                previous = queued.index();
            }
        }
    }

    /** A piece we cannot serve now: its requests are rejected (or dropped), the peer may ask again. */
    private void unavailable(ChannelHandlerContext ctx, int piece, Throwable failure) {
        LOG.debugf("requests for piece %d of %s from %s refused: %s", piece, torrent, channel.remoteAddress(), failure.getMessage());
        Iterator<Request> it = requests.iterator();
        while (it.hasNext()) {
            Request r = it.next();
            if (r.index() == piece) {
                it.remove();
                reject(ctx, r);
            }
        }
        ctx.flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (channel.isWritable() && swarm != null) {
            serve(ctx);
        }
        ctx.fireChannelWritabilityChanged();
    }

    private void extended(ChannelHandlerContext ctx, Extended e) {
        extensions.receive(e).ifPresent(answer -> {
            ctx.writeAndFlush(answer);
            seeding.events().metadataServed();
        });
    }

    private void hashRequest(ChannelHandlerContext ctx, HashRequest h) {
        Optional<byte[]> hashes = torrent.hasV2()
                ? torrent.hashTree(h.piecesRoot()).flatMap(t -> t.hashes(h.baseLayer(), h.index(), h.length(), h.proofLayers()))
                : Optional.empty();
        if (hashes.isPresent()) {
            ctx.writeAndFlush(new Hashes(h.piecesRoot(), h.baseLayer(), h.index(), h.length(), h.proofLayers(), hashes.get()));
            seeding.events().hashesServed();
        } else {
            ctx.writeAndFlush(new HashRequest(h.piecesRoot(), h.baseLayer(), h.index(), h.length(), h.proofLayers(), true));
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent idle) {
            if (idle.state() == IdleState.READER_IDLE) {
                close("idle", "nothing received for " + settings.idleTimeout().toSeconds() + " s");
            } else if (idle.state() == IdleState.WRITER_IDLE && swarm != null) {
                ctx.writeAndFlush(new PeerMessage.KeepAlive());
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof PeerWireException || cause instanceof TooLongFrameException) {
            close("protocol", cause.getMessage());
        } else if (cause instanceof DecoderException d && d.getCause() != null) {
            close("protocol", d.getCause().getMessage());
        } else if (cause instanceof java.io.IOException) {
            close("closed", cause.getMessage());
        } else {
            LOG.warnf(cause, "unexpected failure on the connection with %s", channel == null ? "?" : channel.remoteAddress());
            close("protocol", cause.toString());
        }
    }

    private void close(String kind, String reason) {
        if (closing != null || channel == null) {
            return;
        }
        closing = kind;
        if (!"closed".equals(kind)) {
            LOG.infof("closing the connection with %s%s: %s", channel.remoteAddress(),
                    torrent == null ? "" : " (" + torrent.name() + ")", reason);
        }
        seeding.events().closed(kind);
        requests.clear();
        channel.close();
    }

    private String remoteHost() {
        return channel.remoteAddress() instanceof InetSocketAddress a ? a.getAddress().getHostAddress() + ":" + a.getPort()
                : String.valueOf(channel.remoteAddress());
    }

    // Swarm.Peer, called from other threads: everything that touches the channel runs on its event loop

    @Override
    public boolean unchoked() {
        return unchoked;
    }

    @Override
    public boolean interested() {
        return interested;
    }

    @Override
    public long servedThisRound() {
        return servedThisRound;
    }

    @Override
    public void newRound() {
        servedThisRound = 0;
    }

    @Override
    public long stateSince() {
        return stateSince;
    }

    @Override
    public void choke(boolean choke) {
        unchoked = !choke;
        stateSince = System.nanoTime();
        channel.eventLoop().execute(() -> {
            if (closing != null || !channel.isActive()) {
                return;
            }
            if (choke) {
                ChannelHandlerContext ctx = channel.pipeline().context(this);
                for (Request r : requests) {
                    reject(ctx, r); // BEP 6: with the fast extension a choke cancels nothing by itself
                }
                requests.clear();
                channel.write(new PeerMessage.Choke());
            } else {
                channel.write(new PeerMessage.Unchoke());
            }
            channel.flush();
        });
    }

    @Override
    public void offer(int piece) {
        channel.eventLoop().execute(() -> {
            if (closing == null && channel.isActive()) {
                channel.writeAndFlush(new Have(piece));
            }
        });
    }

    @Override
    public InetSocketAddress listenAddress() {
        if (!(channel.remoteAddress() instanceof InetSocketAddress remote)) {
            return null;
        }
        if (dialled != null) {
            return remote;
        }
        int port = extensions == null ? 0 : extensions.listenPort();
        return port > 0 ? new InetSocketAddress(remote.getAddress(), port) : null;
    }

    @Override
    public void close(String reason) {
        channel.eventLoop().execute(() -> close("retired", reason));
    }

    /** BEP 11: who else is in the swarm, as the difference to what this peer was told before. */
    @Override
    public void exchangePeers(List<InetSocketAddress> others) {
        channel.eventLoop().execute(() -> {
            if (closing == null && extensions != null && channel.isActive()) { // null: not through the handshake yet
                extensions.exchange(others, listenAddress()).ifPresent(channel::writeAndFlush);
            }
        });
    }
}
