package io.shoal.seeder.wire;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.handler.traffic.GlobalTrafficShapingHandler;
import io.shoal.bittorrent.metainfo.InfoHash;
import io.shoal.bittorrent.mse.EncryptionPolicy;
import io.shoal.bittorrent.mse.MseHandshake;
import io.shoal.bittorrent.peerwire.HandshakeDecoder;
import io.shoal.bittorrent.peerwire.PeerWireEncoder;
import io.shoal.seeder.swarm.Swarm;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The peer wire over TCP (Netty): accepts peers on the peer port and dials leechers the tracker lists. Every
 * connection gets the same pipeline: idle timeouts, Message Stream Encryption (unless off; it leaves the
 * pipeline once negotiated, an RC4 codec in its place if selected), the 68-byte handshake (replaced by
 * length-prefixed framing once read), the encoder, and a {@link PeerConnection}.
 *
 * <p>Dialling with encryption preferred, a peer that closes the encrypted handshake is dialled once more in
 * plaintext, as libtorrent and Transmission do.
 */
public final class PeerWireServer implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PeerWireServer.class);
    private static final PeerWireEncoder ENCODER = new PeerWireEncoder();
    /** Blocks are queued until this much waits in a socket, then serving pauses until it drains. */
    private static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(512 * 1024, 2 * 1024 * 1024);

    private final Seeding seeding;
    private static final boolean EPOLL = Epoll.isAvailable();
    private final EventLoopGroup boss = EPOLL ? new EpollEventLoopGroup(1) : new NioEventLoopGroup(1);
    private final EventLoopGroup workers;
    private final GlobalTrafficShapingHandler shaping;
    private final Bootstrap dialer;
    private final SecureRandom random = new SecureRandom();
    private Channel server;

    public PeerWireServer(Seeding seeding, int threads, long uploadRateLimit) {
        this.seeding = seeding;
        this.workers = EPOLL ? new EpollEventLoopGroup(threads) : new NioEventLoopGroup(threads);
        this.shaping = uploadRateLimit > 0 ? new GlobalTrafficShapingHandler(workers, uploadRateLimit, 0, 100) : null;
        this.dialer = new Bootstrap().group(workers).channel(EPOLL ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5_000)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK);
    }

    /** Binds the peer port; returns the port bound (useful when asked for 0). */
    public int bind(String host, int port) throws InterruptedException {
        ChannelFuture bound = new ServerBootstrap().group(boss, workers)
                .channel(EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .childHandler(pipeline(() -> seeding.settings().encryption() == EncryptionPolicy.OFF ? null
                        : MseHandshake.accepting(seeding.settings().encryption(), seeding.encryptedHandshakes(), random),
                        () -> new PeerConnection(seeding)))
                .bind(host, port).sync();
        server = bound.channel();
        int actual = ((InetSocketAddress) server.localAddress()).getPort();
        LOG.infof("peer wire listening on %s:%d (%s, encryption %s)", host, actual, EPOLL ? "epoll" : "NIO",
                seeding.settings().encryption().name().toLowerCase(Locale.ROOT));
        return actual;
    }

    /** Connects to a leecher of {@code swarm} and handshakes with {@code hash}; failures are only logged. */
    public void dial(InetSocketAddress peer, Swarm swarm, InfoHash hash) {
        EncryptionPolicy policy = seeding.settings().encryption();
        dial(peer, swarm, hash, policy != EncryptionPolicy.OFF);
    }

    private void dial(InetSocketAddress peer, Swarm swarm, InfoHash hash, boolean encrypted) {
        EncryptionPolicy policy = seeding.settings().encryption();
        MseHandshake mse = encrypted ? MseHandshake.connecting(policy, hash, random) : null;
        dialer.clone().handler(pipeline(() -> mse, () -> new PeerConnection(seeding, swarm, hash))).connect(peer)
                .addListener((ChannelFuture f) -> {
                    if (!f.isSuccess()) {
                        LOG.debugf("cannot connect to %s for %s: %s", peer, swarm.torrent(), f.cause().getMessage());
                    } else if (encrypted && policy == EncryptionPolicy.PREFER) {
                        f.channel().closeFuture().addListener(closed -> {
                            if (!mse.negotiated() && !swarm.closed()) {
                                LOG.debugf("%s closed the encrypted handshake; dialling it in plaintext", peer);
                                dial(peer, swarm, hash, false);
                            }
                        });
                    }
                });
    }

    private ChannelHandler pipeline(Supplier<MseHandshake> encryption, Supplier<PeerConnection> connection) {
        WireSettings settings = seeding.settings();
        return new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                if (shaping != null) {
                    ch.pipeline().addLast("shaping", shaping);
                }
                ch.pipeline().addLast("idle", new IdleStateHandler(settings.idleTimeout().toMillis(),
                        settings.keepAlive().toMillis(), 0, TimeUnit.MILLISECONDS));
                MseHandshake mse = encryption.get();
                if (mse != null) {
                    ch.pipeline().addLast("mse", mse);
                }
                ch.pipeline().addLast("handshake-decoder", new HandshakeDecoder());
                ch.pipeline().addLast("encoder", ENCODER);
                ch.pipeline().addLast("peer", connection.get());
            }
        };
    }

    public boolean listening() {
        return server != null && server.isActive();
    }

    @Override
    public void close() {
        if (server != null) {
            server.close().syncUninterruptibly();
        }
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        if (shaping != null) {
            shaping.release();
        }
    }
}
