package io.shoal.seeder.announce;

import io.shoal.bittorrent.tracker.AnnounceRequest;
import io.shoal.bittorrent.tracker.AnnounceResponse;
import io.shoal.bittorrent.tracker.TrackerRequestException;
import io.shoal.bittorrent.tracker.UdpTrackerCodec;
import io.shoal.bittorrent.tracker.UdpTrackerPacket;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
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

    /**
     * Announces to {@code tracker} ({@code udp://host:port[/...]}); the request's {@code ip}, if an IPv4
     * literal, goes in the datagram's ip field.
     */
    CompletableFuture<AnnounceResponse> announce(URI tracker, AnnounceRequest request) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                if (tracker.getHost() == null || tracker.getPort() <= 0) {
                    throw new IOException("not a usable UDP tracker URL: " + tracker);
                }
                InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(tracker.getHost()), tracker.getPort());
                try (DatagramSocket socket = new DatagramSocket()) {
                    socket.connect(address);
                    long connection = connectionId(socket, address);
                    int ipv4 = request.ip().map(UdpTrackerClient::ipv4).orElse(0);
                    UdpTrackerPacket.Reply reply = exchange(socket, tid -> UdpTrackerCodec.encode(
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

    private long connectionId(DatagramSocket socket, InetSocketAddress address) throws IOException {
        Connection known = connections.get(address);
        if (known != null && System.nanoTime() - known.obtainedNanos() < CONNECTION_ID_LIFETIME.toNanos()) {
            return known.id();
        }
        UdpTrackerPacket.Reply reply = exchange(socket, tid -> UdpTrackerCodec.encode(new UdpTrackerPacket.ConnectRequest(tid)), address);
        if (!(reply instanceof UdpTrackerPacket.ConnectReply connect)) {
            throw new IOException("tracker says: " + ((UdpTrackerPacket.ErrorReply) reply).message());
        }
        connections.put(address, new Connection(connect.connectionId(), System.nanoTime()));
        return connect.connectionId();
    }

    /** Sends a request and waits for the reply with its transaction id; other datagrams are dropped. */
    private UdpTrackerPacket.Reply exchange(DatagramSocket socket, IntFunction<ByteBuffer> request, InetSocketAddress address)
            throws IOException {
        int tid = random.nextInt();
        ByteBuffer datagram = request.apply(tid);
        byte[] out = new byte[datagram.remaining()];
        datagram.get(out);
        DatagramPacket in = new DatagramPacket(new byte[MAX_DATAGRAM], MAX_DATAGRAM);
        for (int timeout : TIMEOUTS_MS) {
            socket.send(new DatagramPacket(out, out.length));
            long deadline = System.nanoTime() + timeout * 1_000_000L;
            for (long left = timeout; left > 0; left = (deadline - System.nanoTime()) / 1_000_000L) {
                socket.setSoTimeout((int) left);
                try {
                    socket.receive(in);
                } catch (SocketTimeoutException e) {
                    break;
                } catch (PortUnreachableException e) {
                    throw new IOException("nothing listens at the tracker's port", e);
                }
                try {
                    UdpTrackerPacket.Reply reply = UdpTrackerCodec.decodeReply(ByteBuffer.wrap(in.getData(), 0, in.getLength()),
                            address.getAddress() instanceof Inet6Address);
                    if (reply.transactionId() == tid) {
                        return reply;
                    }
                } catch (TrackerRequestException e) {
                    // not an answer to us: wait on
                }
            }
        }
        throw new SocketTimeoutException("no answer from " + address + " in " + Arrays.stream(TIMEOUTS_MS).sum() / 1000 + " s");
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
