package io.shoal.bittorrent.dht;

import java.net.InetSocketAddress;

/**
 * What a {@link DhtNode} runs on: a clock, timers and a way to send a datagram. A UDP socket with one
 * scheduler thread in a service ({@link UdpDhtEndpoint}); an in-memory network in a simulation. Every call
 * into the node, and every task scheduled here, runs on one thread.
 */
public interface DhtRuntime {

    long nowMillis();

    /** Runs {@code task} after {@code delayMillis}; the returned handle cancels it. */
    Cancellable schedule(long delayMillis, Runnable task);

    void send(InetSocketAddress to, byte[] datagram);

    interface Cancellable {
        void cancel();
    }
}
