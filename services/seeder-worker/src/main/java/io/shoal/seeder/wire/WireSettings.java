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
}
