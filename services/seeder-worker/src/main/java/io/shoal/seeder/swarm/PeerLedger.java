package io.shoal.seeder.swarm;

import java.util.concurrent.atomic.LongAdder;

/**
 * What one peer took from this worker for one torrent, and what it gave (a seed takes nothing; a peer that
 * sends unrequested blocks is counted here); and what it passed on to the rest of the swarm, which is what a
 * seeder gets back: {@link #passedOnBytes() seen} (copies of pieces we served it first that other peers
 * announced without having asked us for them) and {@link #reportedUploaded() reported} (its announces to the
 * tracker). Keyed by peer id, so a reconnecting peer keeps its account; kept for a while after its last
 * connection closes (see {@link Swarm#forgetGone}).
 */
public final class PeerLedger {

    private final String peerId;
    private volatile String address;
    private final LongAdder served = new LongAdder();
    private final LongAdder received = new LongAdder();
    private final LongAdder passedOn = new LongAdder();
    private volatile long reportedUploaded;
    private volatile long reportedDownloaded;
    private long reportedAt;
    /** Where the peer accepts connections, "a.b.c.d:port" or "[v6]:port" as the tracker reports hosts; null: unknown. */
    private volatile String listenEndpoint;
    private volatile int connections; // written under this object's lock
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

    /** Whether the peer has a connection to us now. */
    boolean connected() {
        return connections > 0;
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

    public String listenEndpoint() {
        return listenEndpoint;
    }

    void listenEndpoint(String endpoint) {
        this.listenEndpoint = endpoint;
    }

    /** Another peer announced a piece we served this one first, and did not get it from us: it came by this one. */
    public void passedOn(long bytes) {
        passedOn.add(bytes);
    }

    public long passedOnBytes() {
        return passedOn.sum();
    }

    /**
     * What the host told the tracker it uploaded and downloaded in this torrent, in an announce at {@code atMillis};
     * an older announce than the one kept (another replica's, late) changes nothing.
     */
    public synchronized void reported(long uploaded, long downloaded, long atMillis) {
        if (atMillis >= reportedAt) {
            reportedAt = atMillis;
            this.reportedUploaded = uploaded;
            this.reportedDownloaded = downloaded;
        }
    }

    public long reportedUploaded() {
        return reportedUploaded;
    }

    public long reportedDownloaded() {
        return reportedDownloaded;
    }

    /**
     * What the peer gave back for what it took from us: the copies of our pieces seen elsewhere, or, if more, what
     * we served it times its reported share ratio (uploaded / downloaded, at most 1: a report does not outweigh what
     * we saw).
     */
    public long givenBytes() {
        long served = servedBytes();
        long down = reportedDownloaded;
        double share = down <= 0 ? 0 : Math.min(1.0, (double) reportedUploaded / down);
        return Math.max(passedOnBytes(), (long) (served * share));
    }

    /**
     * BitSwap's debt ratio for a seeder, which takes nothing back: bytes we served the peer over the bytes it
     * gave back ({@link #givenBytes()}), plus one. 0 for a peer we have served nothing.
     */
    public double debtRatio() {
        return (double) servedBytes() / (givenBytes() + 1);
    }
}
