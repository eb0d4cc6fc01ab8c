package io.shoal.seeder.wire;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.shoal.bittorrent.metainfo.InfoHash;
import io.shoal.bittorrent.mse.MseException;
import io.shoal.bittorrent.peerwire.Handshake;
import io.shoal.bittorrent.peerwire.PeerMessage.Bitfield;
import io.shoal.bittorrent.peerwire.PeerMessage.Cancel;
import io.shoal.bittorrent.peerwire.PeerMessage.Extended;
import io.shoal.bittorrent.peerwire.PeerMessage.HashRequest;
import io.shoal.bittorrent.peerwire.PeerMessage.Hashes;
import io.shoal.bittorrent.peerwire.PeerMessage.Have;
import io.shoal.bittorrent.peerwire.PeerMessage.HaveAll;
import io.shoal.bittorrent.peerwire.PeerMessage.Interested;
import io.shoal.bittorrent.peerwire.PeerMessage.NotInterested;
import io.shoal.bittorrent.peerwire.PeerMessage.Piece;
import io.shoal.bittorrent.peerwire.PeerMessage.Request;
import io.shoal.bittorrent.peerwire.PeerMessage;
import io.shoal.bittorrent.peerwire.PeerWireException;
import io.shoal.bittorrent.peerwire.UtMetadataMessage;
import io.shoal.seeder.swarm.PeerLedger;
import io.shoal.seeder.swarm.Swarm;
import io.shoal.seeder.torrent.SeededTorrent;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * One peer connection, from handshake to close, on its channel's event loop. The peer is a leecher: we
 * claim every piece (or, super-seeding, the ones we offer), answer its requests from verified pieces, and
 * close the connection, with one log line, at the first thing the protocol or the limits do not allow.
 *
 * <p>Three parts: {@link Admission} (the handshake's checks, the torrent's and the address's limits, the
 * greeting), this class (the connection's lifecycle, dispatch of the messages, what the swarm asks of the peer
 * from other threads), and the {@link BlockServer} that owns the request queue. A peer that does not read is
 * not fed: while the socket does not take more, its messages are not read either, and an answer that would
 * take its unsent bytes past the bound closes it; BEP 9 and hash requests have a budget per connection.
 */
public final class PeerConnection extends ChannelInboundHandlerAdapter implements BlockServer.Owner {

    private static final Logger LOG = Logger.getLogger(PeerConnection.class);

    private final Seeding seeding;
    private final WireSettings settings;
    /** For a connection we opened: the swarm and hash we dialled for. */
    private final Swarm dialled;
    private final InfoHash dialledHash;

    private Channel channel;
    private InetAddress remote;
    private ScheduledFuture<?> handshakeTimeout;
    private Swarm swarm;
    private SeededTorrent torrent;
    private PeerLedger account;
    private boolean counted;
    private boolean joined;
    private ExtensionExchange extensions;
    private BlockServer blocks;
    private RequestBudget metadataBudget;
    private RequestBudget hashBudget;
    private volatile boolean unchoked;
    private volatile boolean interested;
    private volatile long stateSince = System.nanoTime();
    private CloseReason closing;

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

    // admission

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        remote = channel.remoteAddress() instanceof InetSocketAddress a ? a.getAddress() : InetAddress.getLoopbackAddress();
        Optional<CloseReason> refused = seeding.openConnection(remote);
        if (refused.isPresent()) {
            seeding.events().closed(refused.get());
            LOG.debugf("refusing %s: %s", channel.remoteAddress(), refused.get() == CloseReason.FULL
                    ? "this worker has " + settings.total() + " connections"
                    : "its address has " + settings.perAddressTotal() + " connections");
            ctx.close();
            return;
        }
        counted = true;
        seeding.events().opened(dialled != null);
        handshakeTimeout = ctx.executor().schedule(() -> close(CloseReason.TIMEOUT, "no handshake within "
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
            seeding.closeConnection(remote);
            if (closing == null) {
                seeding.events().closed(CloseReason.CLOSED);
            }
        }
        if (joined) {
            swarm.leave(this);
            swarm.release(account);
        }
        if (blocks != null) {
            blocks.clear();
        }
        ctx.fireChannelInactive();
    }

    private void handshake(ChannelHandlerContext ctx, Handshake handshake) {
        if (swarm != null) {
            close(CloseReason.PROTOCOL, "a second handshake");
            return;
        }
        handshakeTimeout.cancel(false);
        switch (Admission.join(seeding, channel, handshake, this, remote, dialled, dialledHash)) {
            case Admission.Refused refused -> close(refused.reason(), refused.detail());
            case Admission.Joined joined -> start(ctx, handshake, joined.swarm());
        }
    }

    /** Joined: the connection's state for its torrent, then the greeting. */
    private void start(ChannelHandlerContext ctx, Handshake handshake, Swarm joinedSwarm) {
        swarm = joinedSwarm;
        torrent = swarm.torrent();
        joined = true;
        boolean fast = handshake.fastExtension();
        extensions = new ExtensionExchange(torrent);
        account = swarm.account(handshake.peerId().toString(), remoteHost());
        if (dialled != null) {
            tellListenAddress();
        }
        Set<Integer> allowedFast = Admission.allowedFast(settings, swarm, handshake, remote);
        blocks = new BlockServer(channel, seeding, swarm, account, fast, allowedFast, this);
        metadataBudget = new RequestBudget(2 * (torrent.infoSize() / UtMetadataMessage.PIECE_SIZE + 1)
                + WireSettings.METADATA_BURST, WireSettings.METADATA_PER_SECOND);
        hashBudget = new RequestBudget(2 * (torrent.pieceCount() / 512 + 1) + WireSettings.HASHES_BURST,
                WireSettings.HASHES_PER_SECOND);
        Admission.greet(ctx, seeding, swarm, handshake, dialled != null, allowedFast);
        if (swarm.superSeeding()) {
            swarm.offerNext(this);
        }
    }

    // dispatch

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closing != null) {
            return;
        }
        switch (msg) {
            case Handshake h -> handshake(ctx, h);
            case PeerMessage m when swarm != null -> message(ctx, m);
            default -> close(CloseReason.PROTOCOL, "message before the handshake");
        }
    }

    /** The requests of one read are answered together: one write to the socket, not one a block. */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (blocks != null && closing == null) {
            blocks.serve();
        }
        ctx.fireChannelReadComplete();
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
            case Request r -> blocks.request(r);
            case Cancel c -> blocks.cancel(c);
            case Have h -> {
                if (h.index() >= torrent.pieceCount()) {
                    close(CloseReason.OUT_OF_RANGE, "have for piece " + h.index() + " of " + torrent.pieceCount());
                    return;
                }
                if (!blocks.known(h.index())) { // not asked of us: it came by another peer
                    swarm.passedOn(account, h.index());
                }
                swarm.has(this, h.index());
                blocks.peerHas(h.index());
            }
            case Bitfield b -> bitfield(b);
            case HaveAll m -> seed();
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
            close(CloseReason.PROTOCOL, "bitfield of " + bits.length + " bytes (expected: " + (count + 7) / 8 + ")");
            return;
        }
        for (int p = count; p < bits.length * 8; p++) {
            if (b.has(p)) {
                close(CloseReason.PROTOCOL, "bitfield sets spare bit " + p);
                return;
            }
        }
        int had = 0;
        for (int p = 0; p < count; p++) {
            if (b.has(p)) {
                had++;
                swarm.has(this, p);
                blocks.peerHas(p);
            }
        }
        if (had == count) {
            seed();
        }
    }

    /** A seed, like us: closed, and (when we know where it listens) not dialled again for a while. */
    private void seed() {
        InetSocketAddress listening = listenAddress();
        if (listening != null) {
            swarm.rememberSeed(listening);
        }
        close(CloseReason.SEED, "a seed, like us: nothing to trade");
    }

    private void extended(ChannelHandlerContext ctx, Extended e) {
        if (e.extendedId() == WireSettings.UT_METADATA && !metadataBudget.take()) {
            close(CloseReason.FLOOD, "BEP 9 requests beyond " + WireSettings.METADATA_PER_SECOND + " a second");
            return;
        }
        extensions.receive(e).ifPresent(answer -> {
            answer(ctx, answer);
            seeding.events().metadataServed();
        });
        if (e.extendedId() == 0 && dialled == null) { // BEP 10 said where it listens
            tellListenAddress();
        }
    }

    private void hashRequest(ChannelHandlerContext ctx, HashRequest h) {
        if (!hashBudget.take()) {
            close(CloseReason.FLOOD, "hash requests beyond " + WireSettings.HASHES_PER_SECOND + " a second");
            return;
        }
        Optional<byte[]> hashes = torrent.hasV2()
                ? torrent.hashTree(h.piecesRoot()).flatMap(t -> t.hashes(h.baseLayer(), h.index(), h.length(), h.proofLayers()))
                : Optional.empty();
        if (hashes.isPresent()) {
            answer(ctx, new Hashes(h.piecesRoot(), h.baseLayer(), h.index(), h.length(), h.proofLayers(), hashes.get()));
            seeding.events().hashesServed();
        } else {
            answer(ctx, new HashRequest(h.piecesRoot(), h.baseLayer(), h.index(), h.length(), h.proofLayers(), true));
        }
    }

    /** Sends an answer that is not a block, unless the peer's unsent bytes passed the bound: then it is closed. */
    private void answer(ChannelHandlerContext ctx, Object message) {
        ChannelOutboundBuffer unsent = channel.unsafe().outboundBuffer();
        if (unsent != null && unsent.totalPendingWriteBytes() > settings.maxUnsentBytes()) {
            close(CloseReason.SLOW_READER, unsent.totalPendingWriteBytes() + " bytes unsent (at most "
                    + settings.maxUnsentBytes() + "): it does not read what it asks for");
            return;
        }
        ctx.writeAndFlush(message);
    }

    /** Serving follows the socket: a peer whose socket takes nothing more is not read from until it does. */
    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        boolean writable = channel.isWritable();
        channel.config().setAutoRead(writable);
        if (writable && blocks != null) {
            blocks.serve();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent idle) {
            if (idle.state() == IdleState.READER_IDLE) {
                if (channel.isWritable()) {
                    close(CloseReason.IDLE, "nothing received for " + settings.idleTimeout().toSeconds() + " s");
                } else {
                    close(CloseReason.SLOW_READER, "nothing it asked for could be sent for " + settings.idleTimeout().toSeconds() + " s");
                }
            } else if (idle.state() == IdleState.WRITER_IDLE && swarm != null) {
                ctx.writeAndFlush(new PeerMessage.KeepAlive());
            }
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        switch (cause) {
            case MseException e -> close(CloseReason.ENCRYPTION, e.getMessage());
            case PeerWireException e -> close(CloseReason.PROTOCOL, e.getMessage());
            case TooLongFrameException e -> close(CloseReason.PROTOCOL, e.getMessage());
            case DecoderException d when d.getCause() != null -> close(CloseReason.PROTOCOL, d.getCause().getMessage());
            case IOException e -> close(CloseReason.CLOSED, e.getMessage());
            default -> {
                LOG.warnf(cause, "unexpected failure on the connection with %s", channel == null ? "?" : channel.remoteAddress());
                close(CloseReason.PROTOCOL, cause.toString());
            }
        }
    }

    @Override
    public void close(CloseReason reason, String detail) {
        if (closing != null || channel == null) {
            return;
        }
        closing = reason;
        if (reason != CloseReason.CLOSED) {
            LOG.infof("closing the connection with %s%s: %s", channel.remoteAddress(),
                    torrent == null ? "" : " (" + torrent.name() + ")", detail);
        }
        seeding.events().closed(reason);
        if (blocks != null) {
            blocks.clear();
        }
        channel.close();
    }

    @Override
    public boolean open() {
        return closing == null;
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

    /** The ledger matches the tracker's host reports by where a peer listens: it learns it once we know it. */
    private void tellListenAddress() {
        InetSocketAddress listening = listenAddress();
        if (listening != null) {
            swarm.listensAt(account, listening);
        }
    }

    @Override
    public double debtRatio() {
        return account == null ? 0 : account.debtRatio();
    }

    @Override
    public long servedThisRound() {
        return blocks == null ? 0 : blocks.servedThisRound();
    }

    @Override
    public void newRound() {
        if (blocks != null) {
            blocks.newRound();
        }
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
                if (blocks != null) {
                    blocks.rejectAll();
                    blocks.stopStreaming();
                }
                channel.write(new PeerMessage.Choke());
            } else {
                channel.write(new PeerMessage.Unchoke());
                if (blocks != null) {
                    blocks.stream();
                }
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
    public InetAddress remoteAddress() {
        return remote;
    }

    @Override
    public void close(String reason) {
        channel.eventLoop().execute(() -> close(CloseReason.RETIRED, reason));
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
