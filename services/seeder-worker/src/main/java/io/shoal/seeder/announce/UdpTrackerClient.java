package io.shoal.seeder.announce;

import io.shoal.bittorrent.tracker.AnnounceRequest;
import io.shoal.bittorrent.tracker.AnnounceResponse;
import io.shoal.bittorrent.tracker.TrackerRequestException;
import io.shoal.bittorrent.tracker.UdpTrackerCodec;
import io.shoal.bittorrent.tracker.UdpTrackerPacket;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.IntFunction;

/**
 * BEP 15 announces from the worker: connect (a connection id, kept for the minute the spec allows), then
 * announce, each datagram sent again on a timeout (1, 2, then 4 s here: a seed re-announces every interval and
 * retries a failed announce soon anyway). Runs on a thread of its own, one exchange at a time; the codec is
 * the protocol library's, the tracker's own.
 */
final class UdpTrackerClient implements AutoCloseable {

    private static final Duration CONNECTION_ID_LIFETIME = Duration.ofSeconds(60);
    private static final int[] TIMEOUTS_MS = {1000, 2000, 4000};
    private static final int MAX_DATAGRAM = 64 * 1024;

    private final ExecutorService io = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "udp-announce");
        t.setDaemon(true);
        return t;
    });
    private final SecureRandom random = new SecureRandom();
    private final Map<InetSocketAddress, Connection> connections = new ConcurrentHashMap<>();

    private record Connection(long id, long obtainedNanos) {
    }

    /** Announces to {@code tracker} ({@code udp://host:port[/...]}); {@code advertisedHost} goes in the ip field if IPv4. */
    CompletableFuture<AnnounceResponse> announce(URI tracker, AnnounceRequest request, String advertisedHost) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                if (tracker.getHost() == null || tracker.getPort() <= 0) {
                    throw new IOException("not a usable UDP tracker URL: " + tracker);
                }
                InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(tracker.getHost()), tracker.getPort());
                try (DatagramChannel channel = DatagramChannel.open()) {
                    channel.connect(address);
                    long connection = connectionId(channel, address);
                    int ipv4 = ipv4(advertisedHost);
                    UdpTrackerPacket.Reply reply = exchange(channel, tid -> UdpTrackerCodec.encode(
                            new UdpTrackerPacket.AnnounceRequestPacket(connection, tid, request, ipv4)), address);
                    if (reply instanceof UdpTrackerPacket.AnnounceReply a) {
                        return new AnnounceResponse(a.interval(), 0, a.seeders(), a.leechers(), 0, a.peers(), Optional.empty());
                    }
                    connections.remove(address); // an error: perhaps the connection id expired early
                    throw new IOException("tracker says: " + ((UdpTrackerPacket.ErrorReply) reply).message());
                }
            } catch (IOException e) {
                throw new CompletionException(e);
            }
        }, io);
    }

    private long connectionId(DatagramChannel channel, InetSocketAddress address) throws IOException {
        Connection known = connections.get(address);
        if (known != null && System.nanoTime() - known.obtainedNanos() < CONNECTION_ID_LIFETIME.toNanos()) {
            return known.id();
        }
        UdpTrackerPacket.Reply reply = exchange(channel, tid -> UdpTrackerCodec.encode(new UdpTrackerPacket.ConnectRequest(tid)), address);
        if (!(reply instanceof UdpTrackerPacket.ConnectReply connect)) {
            throw new IOException("tracker says: " + ((UdpTrackerPacket.ErrorReply) reply).message());
        }
        connections.put(address, new Connection(connect.connectionId(), System.nanoTime()));
        return connect.connectionId();
    }

    /** Sends a request and waits for the reply with its transaction id; other datagrams are dropped. */
    private UdpTrackerPacket.Reply exchange(DatagramChannel channel, IntFunction<ByteBuffer> request,
                                            InetSocketAddress address) throws IOException {
        int tid = random.nextInt();
        ByteBuffer datagram = request.apply(tid);
        ByteBuffer in = ByteBuffer.allocate(MAX_DATAGRAM);
        for (int timeout : TIMEOUTS_MS) {
            channel.write(datagram.duplicate());
            long deadline = System.nanoTime() + timeout * 1_000_000L;
            while (System.nanoTime() < deadline) {
                in.clear();
                if (!receive(channel, in, deadline)) {
                    break;
                }
                in.flip();
                try {
                    UdpTrackerPacket.Reply reply = UdpTrackerCodec.decodeReply(in, address.getAddress() instanceof Inet6Address);
                    if (reply.transactionId() == tid) {
                        return reply;
                    }
                } catch (TrackerRequestException e) {
                    // not an answer to us: wait on
                }
            }
        }
        throw new SocketTimeoutException("no answer from " + address + " in " + (1 + 2 + 4) + " s");
    }

    /** Waits for one datagram until the deadline; false when none came. */
    private static boolean receive(DatagramChannel channel, ByteBuffer into, long deadline) throws IOException {
        channel.configureBlocking(false);
        try (Selector selector = Selector.open()) {
            channel.register(selector, SelectionKey.OP_READ);
            long wait = (deadline - System.nanoTime()) / 1_000_000L;
            if (wait <= 0 || selector.select(wait) == 0) {
                return false;
            }
            try {
                return channel.read(into) >= 0;
            } catch (PortUnreachableException e) {
                throw new IOException("nothing listens at the tracker's port", e);
            }
        }
    }

    private static int ipv4(String host) {
        try {
            if (host.matches("\\d{1,3}(\\.\\d{1,3}){3}") && InetAddress.getByName(host) instanceof Inet4Address v4) {
                return ByteBuffer.wrap(v4.getAddress()).getInt();
            }
        } catch (IOException e) {
            // not a literal: the tracker takes the datagram's source
        }
        return 0;
    }

    @Override
    public void close() {
        io.shutdownNow();
    }
}
