package io.shoal.seeder.swarm;

import java.util.concurrent.atomic.LongAdder;

/**
 * What one peer took from this worker for one torrent, and what it gave (a seed takes nothing; a peer that
 * sends unrequested blocks is counted here). Keyed by peer id, so a reconnecting peer keeps its account;
 * kept for a while after its last connection closes (see {@link Swarm#forgetGone}).
 */
public final class PeerLedger {

    private final String peerId;
    private volatile String address;
    private final LongAdder served = new LongAdder();
    private final LongAdder received = new LongAdder();
    private int connections;
    private long goneSince;

    PeerLedger(String peerId, String address) {
        this.peerId = peerId;
        this.address = address;
    }

    public String peerId() {
        return peerId;
    }

    public String address() {
        return address;
    }

    synchronized void connected(String address) {
        this.address = address;
        connections++;
    }

    synchronized void disconnected() {
        if (--connections == 0) {
            goneSince = System.nanoTime();
        }
    }

    /** Nanoseconds since the peer's last connection closed; -1 while it is connected. */
    synchronized long goneFor(long now) {
        return connections > 0 ? -1 : now - goneSince;
    }

    public void served(long bytes) {
        served.add(bytes);
    }

    public void received(long bytes) {
        received.add(bytes);
    }

    public long servedBytes() {
        return served.sum();
    }

    public long receivedBytes() {
        return received.sum();
    }
}
