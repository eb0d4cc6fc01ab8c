package io.shoal.seeder.wire;

import io.shoal.bittorrent.mse.EncryptionPolicy;
import java.time.Duration;

/**
 * The peer wire's limits and what this worker says about itself.
 *
 * @param perAddressPerTorrent connections one IP address may hold to one torrent
 * @param perAddressTotal connections one IP address may hold to this worker
 * @param advertisedPort the port peers reach us at (BEP 10 {@code p})
 * @param maxUnsentBytes a peer whose unsent bytes pass this is closed (it stopped reading)
 * @param allowedFast BEP 6: pieces a choked peer with the fast extension may still ask for
 */
public record WireSettings(int perTorrent, int total, int perAddressPerTorrent, int perAddressTotal, int requestQueue,
                           Duration handshakeTimeout, Duration idleTimeout, Duration keepAlive, int advertisedPort,
                           EncryptionPolicy encryption, long maxUnsentBytes, int allowedFast) {

    public static final String CLIENT = "Shoal 0.1";
    /** Our ids for the extensions we speak (BEP 10: each side picks its own). */
    public static final int UT_PEX = 1, UT_METADATA = 2;
    /** BEP 3: blocks are asked for in 16 KiB; larger requests are refused by every client. */
    public static final int MAX_BLOCK = 16 * 1024;
    /** BEP 9 requests a connection may make at once, beyond twice the metadata's pieces; then this many a second. */
    public static final int METADATA_BURST = 8, METADATA_PER_SECOND = 2;
    /** BEP 52 hash requests a connection may make at once, beyond two per 512 pieces; then this many a second. */
    public static final int HASHES_BURST = 64, HASHES_PER_SECOND = 32;
    /** reqq without an upload cap: libtorrent's own; one fast leecher keeps its pipeline full with it. */
    private static final int DEEP_REQUEST_QUEUE = 2000;
    /** The fewest requests a peer may queue, whatever the cap. */
    private static final int MIN_REQUEST_QUEUE = 64;
    /** Under an upload cap, a peer's queue holds what its share of the cap sends in this many seconds. */
    private static final int REQUEST_QUEUE_SECONDS = 2;

    /**
     * The reqq to tell peers when none is configured. Without an upload cap, {@link #DEEP_REQUEST_QUEUE}: a leecher
     * keeps as many requests in flight as its rate fills in a few seconds, up to our reqq, and at 250 one fast
     * leecher waited on its pipeline. Under a cap the worker is the bottleneck and a request waits in the queue
     * for as long as the queue is deep; the pieces a peer asked for long ago arrive from others meanwhile or are
     * sent twice: with 8 leechers at a 20 MiB/s cap, reqq 2000 cost ~20% more time and copies than 250
     * (e2e-tests/bench/seeder.sh). So a peer may queue what its share of the cap (over the upload slots and the
     * optimistic unchoke) sends in {@link #REQUEST_QUEUE_SECONDS}.
     */
    public static int requestQueueFor(long uploadRateLimit, int uploadSlots) {
        if (uploadRateLimit <= 0) {
            return DEEP_REQUEST_QUEUE;
        }
        long share = uploadRateLimit / (Math.max(1, uploadSlots) + 1);
        long blocks = share * REQUEST_QUEUE_SECONDS / MAX_BLOCK;
        return (int) Math.max(MIN_REQUEST_QUEUE, Math.min(DEEP_REQUEST_QUEUE, blocks));
    }
}
