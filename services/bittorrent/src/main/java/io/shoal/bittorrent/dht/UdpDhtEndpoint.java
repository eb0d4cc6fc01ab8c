package io.shoal.bittorrent.dht;

import io.shoal.bittorrent.dht.KrpcMessage.NodeInfo;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A {@link DhtNode} on a UDP socket: one thread reads datagrams, one thread runs the node (every datagram, timer and
 * call from outside is a task on it). Datagrams waiting for the node are bounded; past the bound they are dropped
 * (a flood costs the sender its packets, not our memory).
 */
public final class UdpDhtEndpoint implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(UdpDhtEndpoint.class.getName());
    static final int MAX_QUEUED = 10_000;

    private final DatagramSocket socket;
    private final ScheduledExecutorService thread;
    private final DhtNode node;
    private final Thread reader;
    private final AtomicInteger queued = new AtomicInteger();
    private volatile boolean open = true;

    private UdpDhtEndpoint(DatagramSocket socket, NodeId id, DhtConfig config) {
        this.socket = socket;
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "dht-node-" + socket.getLocalPort());
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        this.thread = executor;
        this.node = new DhtNode(id, config, new Runtime(), new SecureRandom());
        this.reader = new Thread(this::read, "dht-udp-" + socket.getLocalPort());
        reader.setDaemon(true);
    }

    /** Binds {@code bind} (UDP) and starts reading; {@link #start} joins the DHT. */
    public static UdpDhtEndpoint open(InetSocketAddress bind, NodeId id, DhtConfig config) throws IOException {
        DatagramSocket socket = new DatagramSocket(null);
        socket.setReuseAddress(false);
        socket.bind(bind);
        UdpDhtEndpoint endpoint = new UdpDhtEndpoint(socket, id, config);
        endpoint.reader.start();
        return endpoint;
    }

    public CompletableFuture<LookupResult> start(List<InetSocketAddress> bootstrap, List<NodeInfo> known) {
        return call(n -> n.start(bootstrap, known));
    }

    /** Runs {@code action} on the node's thread; the future completes when the action's future does. */
    public <T> CompletableFuture<T> call(Function<DhtNode, CompletableFuture<T>> action) {
        CompletableFuture<T> result = new CompletableFuture<>();
        thread.execute(() -> action.apply(node).whenComplete((value, failure) -> {
            if (failure != null) {
                result.completeExceptionally(failure);
            } else {
                result.complete(value);
            }
        }));
        return result;
    }

    /** Reads the node's state on its thread (stats, the routing table). */
    public <T> T inspect(Function<DhtNode, T> read) {
        try {
            return thread.submit(() -> read.apply(node)).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted reading the DHT node", e);
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("reading the DHT node failed", e);
        }
    }

    public NodeId id() {
        return node.id();
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    private void read() {
        byte[] buffer = new byte[KrpcCodec.MAX_DATAGRAM + 1];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        while (open) {
            try {
                packet.setLength(buffer.length);
                socket.receive(packet);
                if (queued.get() >= MAX_QUEUED) {
                    continue;
                }
                byte[] datagram = Arrays.copyOf(packet.getData(), packet.getLength());
                InetSocketAddress from = (InetSocketAddress) packet.getSocketAddress();
                queued.incrementAndGet();
                thread.execute(() -> {
                    queued.decrementAndGet();
                    node.receive(datagram, from);
                });
            } catch (SocketException e) {
                if (open) {
                    LOG.log(Level.WARNING, "DHT socket failed: " + e.getMessage());
                }
                return;
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "DHT datagram not read: " + e.getMessage());
            }
        }
    }

    @Override
    public void close() {
        open = false;
        socket.close();
        try {
            thread.submit(node::stop).get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | java.util.concurrent.TimeoutException | java.util.concurrent.RejectedExecutionException e) {
            LOG.log(Level.FINE, "DHT node stop: " + e.getMessage());
        }
        thread.shutdownNow();
    }

    private final class Runtime implements DhtRuntime {
        @Override
        public long nowMillis() {
            return System.currentTimeMillis();
        }

        @Override
        public Cancellable schedule(long delayMillis, Runnable task) {
            ScheduledFuture<?> f = thread.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
            return () -> f.cancel(false);
        }

        @Override
        public void send(InetSocketAddress to, byte[] datagram) {
            try {
                socket.send(new DatagramPacket(datagram, datagram.length, to));
            } catch (IOException e) {
                if (open) {
                    LOG.log(Level.FINE, "DHT datagram to " + to + " not sent: " + e.getMessage());
                }
            }
        }
    }
}
