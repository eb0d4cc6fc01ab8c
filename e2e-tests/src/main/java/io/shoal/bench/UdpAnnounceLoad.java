package io.shoal.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A BEP 15 load generator: one socket per thread, a fixed number of announces in flight, each reply
 * answered by the next announce; varied info_hash, peer_id and port from the same peer population as the
 * HTTP load. A datagram lost is re-sent after a second (and counted). Reports replies per second and the
 * latency percentiles of answered announces.
 */
final class UdpAnnounceLoad {

    /** What one run measured. */
    record Result(double perSecond, double p50Millis, double p99Millis, long lost, long errors) {
    }

    private final InetSocketAddress tracker;
    private final byte[][] hashes;
    private final int peers;
    /** Made once: formatting an id per request would cost the generator more than the tracker spends. */
    private final byte[][] peerIds;

    UdpAnnounceLoad(InetSocketAddress tracker, byte[][] hashes, int peers) {
        this.tracker = tracker;
        this.hashes = hashes;
        this.peers = peers;
        this.peerIds = new byte[peers][];
        for (int i = 0; i < peers; i++) {
            peerIds[i] = String.format("-UD0001-%012d", i).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        }
    }

    Result run(int threads, int inFlightPerThread, long millis) throws Exception {
        Worker[] workers = new Worker[threads];
        Thread[] running = new Thread[threads];
        long end = System.nanoTime() + millis * 1_000_000;
        for (int i = 0; i < threads; i++) {
            workers[i] = new Worker(inFlightPerThread, end);
            running[i] = new Thread(workers[i], "udp-load-" + i);
            running[i].start();
        }
        long[] latencies = new long[0];
        long count = 0;
        long lost = 0;
        long errors = 0;
        for (int i = 0; i < threads; i++) {
            running[i].join();
            if (workers[i].failure != null) {
                throw workers[i].failure;
            }
            int offset = latencies.length;
            latencies = Arrays.copyOf(latencies, offset + workers[i].answered);
            System.arraycopy(workers[i].latencies, 0, latencies, offset, workers[i].answered);
            count += workers[i].answered;
            lost += workers[i].lost;
            errors += workers[i].errors;
        }
        Arrays.sort(latencies);
        return new Result(count * 1000.0 / millis, percentile(latencies, 0.50), percentile(latencies, 0.99), lost, errors);
    }

    private static double percentile(long[] sortedNanos, double p) {
        return sortedNanos.length == 0 ? Double.NaN : sortedNanos[(int) Math.min(sortedNanos.length - 1, (long) (sortedNanos.length * p))] / 1e6;
    }

    private final class Worker implements Runnable {
        private final int inFlight;
        private final long endNanos;
        private long[] latencies = new long[1 << 20];
        private int answered;
        private long lost;
        private long errors;
        private Exception failure;

        Worker(int inFlight, long endNanos) {
            this.inFlight = inFlight;
            this.endNanos = endNanos;
        }

        @Override
        public void run() {
            try (DatagramChannel channel = DatagramChannel.open()) {
                channel.connect(tracker);
                channel.socket().setSoTimeout(200);
                long connectionId = connect(channel);
                long[] sentAt = new long[inFlight];
                ByteBuffer in = ByteBuffer.allocate(2048);
                for (int slot = 0; slot < inFlight; slot++) {
                    sentAt[slot] = send(channel, connectionId, slot);
                }
                while (System.nanoTime() < endNanos) {
                    in.clear();
                    int read;
                    try {
                        read = receive(channel, in);
                    } catch (SocketTimeoutException e) {
                        read = 0;
                    }
                    long now = System.nanoTime();
                    if (read >= 8) {
                        int action = in.getInt(0);
                        int slot = in.getInt(4);
                        if (slot >= 0 && slot < inFlight && sentAt[slot] != 0) {
                            if (action == 1) {
                                if (answered == latencies.length) {
                                    latencies = Arrays.copyOf(latencies, latencies.length * 2);
                                }
                                latencies[answered++] = now - sentAt[slot];
                            } else {
                                errors++;
                            }
                            sentAt[slot] = send(channel, connectionId, slot);
                        }
                    }
                    for (int slot = 0; slot < inFlight; slot++) {
                        if (now - sentAt[slot] > 1_000_000_000L) {
                            lost++;
                            sentAt[slot] = send(channel, connectionId, slot);
                        }
                    }
                }
            } catch (Exception e) {
                failure = e;
            }
        }

        private int receive(DatagramChannel channel, ByteBuffer in) throws IOException {
            // a blocking read bounded by SO_TIMEOUT (the socket adaptor honours it)
            java.net.DatagramPacket packet = new java.net.DatagramPacket(in.array(), in.capacity());
            channel.socket().receive(packet);
            return packet.getLength();
        }

        private long connect(DatagramChannel channel) throws IOException {
            for (int attempt = 0; attempt < 10; attempt++) {
                ByteBuffer request = ByteBuffer.allocate(16).putLong(0x41727101980L).putInt(0).putInt(-1).flip();
                channel.write(request);
                ByteBuffer reply = ByteBuffer.allocate(64);
                try {
                    java.net.DatagramPacket packet = new java.net.DatagramPacket(reply.array(), reply.capacity());
                    channel.socket().receive(packet);
                    if (packet.getLength() >= 16 && reply.getInt(0) == 0 && reply.getInt(4) == -1) {
                        return reply.getLong(8);
                    }
                } catch (SocketTimeoutException e) {
                    // try again
                }
            }
            throw new IOException("no connect reply from " + tracker);
        }

        private long send(DatagramChannel channel, long connectionId, int slot) throws IOException {
            int peer = ThreadLocalRandom.current().nextInt(peers);
            ByteBuffer out = ByteBuffer.allocate(98);
            out.putLong(connectionId).putInt(1).putInt(slot);
            out.put(hashes[peer % hashes.length]);
            out.put(peerIds[peer]);
            out.putLong(0).putLong(peer % 3 == 0 ? 0 : 1000).putLong(0);
            out.putInt(0).putInt(0).putInt(peer).putInt(50).putShort((short) (10_000 + peer % 50_000));
            channel.write(out.flip());
            return System.nanoTime();
        }
    }
}
