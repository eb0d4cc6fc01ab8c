package io.shoal.tracker.udp;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.shoal.bittorrent.tracker.AnnounceRequest;
import io.shoal.bittorrent.tracker.ScrapeStats;
import io.shoal.bittorrent.tracker.TrackerRequestException;
import io.shoal.bittorrent.tracker.UdpTrackerCodec;
import io.shoal.bittorrent.tracker.UdpTrackerPacket;
import io.shoal.bittorrent.tracker.UdpTrackerPacket.AnnounceRequestPacket;
import io.shoal.bittorrent.tracker.UdpTrackerPacket.ConnectReply;
import io.shoal.bittorrent.tracker.UdpTrackerPacket.ConnectRequest;
import io.shoal.bittorrent.tracker.UdpTrackerPacket.ErrorReply;
import io.shoal.bittorrent.tracker.UdpTrackerPacket.ScrapeReply;
import io.shoal.bittorrent.tracker.UdpTrackerPacket.ScrapeRequestPacket;
import io.shoal.tracker.Addresses;
import io.shoal.tracker.Tracker;
import io.shoal.tracker.TrackerConfig;
import io.shoal.tracker.TrackerMetrics;
import io.shoal.tracker.TrackerMetrics.FailureKind;
import io.shoal.tracker.TrackerMetrics.Protocol;
import io.shoal.tracker.swarm.AddressFamily;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.jboss.logging.Logger;

/**
 * The BEP 15 UDP tracker: connect, announce, scrape on a few datagram sockets sharing one port.
 * Connection ids are checked, not remembered ({@link ConnectionIds}). A datagram too short to carry a
 * transaction id gets no answer; every other bad request gets an error packet, no larger than the datagram
 * unless it carried a valid connection id.
 */
@ApplicationScoped
public class UdpTracker {

    private static final Logger LOG = Logger.getLogger(UdpTracker.class);
    /** Peers that fit an Ethernet-sized datagram: 1472 bytes less the 20-byte header. */
    static final int MAX_PEERS_IPV4 = (1472 - 20) / 6;
    static final int MAX_PEERS_IPV6 = (1452 - 20) / 18;

    private final Tracker tracker;
    private final TrackerConfig config;
    private final TrackerMetrics metrics;
    private final ConnectionIds connectionIds;
    private final List<Thread> threads = new ArrayList<>();
    private final List<DatagramChannel> channels = new java.util.concurrent.CopyOnWriteArrayList<>();

    UdpTracker(Tracker tracker, TrackerConfig config, TrackerMetrics metrics) {
        this.tracker = tracker;
        this.config = config;
        this.metrics = metrics;
        this.connectionIds = new ConnectionIds(secret(config.udp().connectionSecret()));
    }

    /** The bound port (tests bind port 0); -1 when the UDP tracker is off. */
    public int port() {
        try {
            return channels.isEmpty() ? -1 : ((InetSocketAddress) channels.getFirst().getLocalAddress()).getPort();
        } catch (IOException e) {
            return -1;
        }
    }

    void onStart(@Observes @Priority(30) StartupEvent event) {
        TrackerConfig.Udp udp = config.udp();
        if (!udp.enabled()) {
            return;
        }
        // One socket a thread, all on the same port (SO_REUSEPORT): the kernel spreads clients over them, and
        // no thread waits on another's receive.
        try {
            InetAddress host = InetAddress.getByName(udp.host());
            int port = udp.port();
            for (int i = 0; i < udp.threads(); i++) {
                DatagramChannel c = DatagramChannel.open();
                c.setOption(StandardSocketOptions.SO_REUSEPORT, true);
                c.setOption(StandardSocketOptions.SO_RCVBUF, 4 * 1024 * 1024);
                c.setOption(StandardSocketOptions.SO_SNDBUF, 4 * 1024 * 1024);
                c.bind(new InetSocketAddress(host, port));
                port = ((InetSocketAddress) c.getLocalAddress()).getPort();
                channels.add(c);
            }
        } catch (IOException e) {
            channels.forEach(UdpTracker::closeQuietly);
            throw new UncheckedIOException("cannot bind the UDP tracker to " + udp.host() + ":" + udp.port(), e);
        }
        for (int i = 0; i < channels.size(); i++) {
            DatagramChannel c = channels.get(i);
            Thread thread = new Thread(() -> serve(c), "udp-tracker-" + i);
            thread.setDaemon(true);
            thread.start();
            threads.add(thread);
        }
        LOG.infof("UDP tracker (BEP 15) listening on %s:%d", udp.host(), port());
    }

    void onStop(@Observes ShutdownEvent event) {
        channels.forEach(UdpTracker::closeQuietly);
        for (Thread thread : threads) {
            try {
                thread.join(2_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void closeQuietly(DatagramChannel c) {
        try {
            c.close();
        } catch (IOException e) {
            LOG.debugf("closing a UDP socket: %s", e.getMessage());
        }
    }

    private void serve(DatagramChannel c) {
        ByteBuffer in = ByteBuffer.allocateDirect(2048);
        while (c.isOpen()) {
            try {
                in.clear();
                InetSocketAddress from = (InetSocketAddress) c.receive(in);
                in.flip();
                ByteBuffer reply = answer(in, from, System.currentTimeMillis());
                if (reply != null) {
                    c.send(reply, from);
                }
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException | RuntimeException e) {
                metrics.failed(Protocol.UDP, FailureKind.INTERNAL);
                LOG.errorf(e, "UDP tracker request failed");
            }
        }
    }

    /**
     * The reply to one datagram, or null for none. Until the sender proves it receives at its address (the
     * datagram starts with a connection id issued to that address), no answer is larger than what it sent: a
     * spoofed datagram must not turn this tracker into an amplifier aimed at somebody else.
     */
    ByteBuffer answer(ByteBuffer datagram, InetSocketAddress from, long nowMillis) {
        OptionalInt transactionId = UdpTrackerCodec.transactionIdOf(datagram);
        if (transactionId.isEmpty()) {
            metrics.failed(Protocol.UDP, FailureKind.BAD_REQUEST);
            return null;
        }
        int received = datagram.remaining();
        byte[] source = Addresses.unmapped(from.getAddress().getAddress());
        boolean proven = received >= 16 && connectionIds.valid(datagram.getLong(datagram.position()), source, nowMillis);
        UdpTrackerPacket.Request request;
        try {
            request = UdpTrackerCodec.decodeRequest(datagram);
        } catch (TrackerRequestException e) {
            metrics.failed(Protocol.UDP, FailureKind.BAD_REQUEST);
            return error(transactionId.getAsInt(), e.getMessage(), proven ? Integer.MAX_VALUE : received);
        }
        try {
            if (request instanceof AnnounceRequestPacket announce) {
                checkConnection(proven);
                boolean ipv6 = source.length == 16;
                Tracker.Answer answer = tracker.announce(withClaimedAddress(announce), source, Protocol.UDP,
                        ipv6 ? AddressFamily.IPV6 : AddressFamily.IPV4, ipv6 ? MAX_PEERS_IPV6 : MAX_PEERS_IPV4);
                return UdpTrackerCodec.announceReply(announce.transactionId(), answer.interval(),
                        answer.announced().leechers(), answer.announced().seeders(), answer.compactPeers(ipv6));
            }
            return UdpTrackerCodec.encode(switch (request) {
                // 16 bytes for 16: a connect is never larger than its answer
                case ConnectRequest connect -> new ConnectReply(connect.transactionId(), connectionIds.issue(source, nowMillis));
                case AnnounceRequestPacket announce -> throw new IllegalStateException("answered above");
                case ScrapeRequestPacket scrape -> {
                    checkConnection(proven);
                    List<ScrapeStats> stats = tracker.scrape(scrape.infoHashes(), Protocol.UDP);
                    // BEP 15 answers by position: an untracked torrent has nobody
                    yield new ScrapeReply(scrape.transactionId(), stats.stream()
                            .map(s -> s == null ? new ScrapeStats(0, 0, 0) : s).toList());
                }
            });
        } catch (TrackerRequestException e) {
            return error(request.transactionId(), e.getMessage(), proven ? Integer.MAX_VALUE : received);
        }
    }

    /** An error packet of at most {@code limit} bytes: the message is cut to fit (none below 8 bytes). */
    private static ByteBuffer error(int transactionId, String message, int limit) {
        if (limit < 8) {
            return null;
        }
        String fitted = message.substring(0, Math.min(message.length(), limit - 8));
        while (fitted.getBytes(StandardCharsets.UTF_8).length > limit - 8) {
            fitted = fitted.substring(0, fitted.length() - 1);
        }
        return UdpTrackerCodec.encode(new ErrorReply(transactionId, fitted));
    }

    private void checkConnection(boolean proven) throws TrackerRequestException {
        if (!proven) {
            throw tracker.refuse(Protocol.UDP, FailureKind.CONNECTION_ID, "connection id unknown or expired (connect again)");
        }
    }

    /** BEP 15's ip field: 0 for "the address this came from", else an IPv4 address the client claims. */
    private static AnnounceRequest withClaimedAddress(AnnounceRequestPacket packet) {
        AnnounceRequest r = packet.request();
        if (packet.ipv4() == 0) {
            return r;
        }
        int ip = packet.ipv4();
        String literal = (ip >>> 24) + "." + ((ip >>> 16) & 0xff) + "." + ((ip >>> 8) & 0xff) + "." + (ip & 0xff);
        return new AnnounceRequest(r.infoHash(), r.peerId(), r.port(), r.uploaded(), r.downloaded(), r.left(), r.event(),
                r.numWant(), r.compact(), r.noPeerId(), Optional.of(literal), r.key());
    }

    private static byte[] secret(Optional<String> configured) {
        if (configured.isEmpty() || configured.get().isBlank()) {
            byte[] secret = new byte[16];
            new SecureRandom().nextBytes(secret);
            return secret;
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(configured.get().getBytes(StandardCharsets.UTF_8));
            return java.util.Arrays.copyOf(digest, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
