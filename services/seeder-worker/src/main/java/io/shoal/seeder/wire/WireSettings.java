package io.shoal.seeder.wire;

import java.time.Duration;

/**
 * The peer wire's limits and what this worker says about itself.
 *
 * @param advertisedPort the port peers reach us at (BEP 10 {@code p})
 */
public record WireSettings(int perTorrent, int total, int requestQueue, Duration handshakeTimeout,
                           Duration idleTimeout, Duration keepAlive, int advertisedPort) {

    public static final String CLIENT = "Shoal 0.1";
    /** Our ids for the extensions we speak (BEP 10: each side picks its own). */
    public static final int UT_PEX = 1, UT_METADATA = 2;
    /** BEP 3: blocks are asked for in 16 KiB; larger requests are refused by every client. */
    public static final int MAX_BLOCK = 16 * 1024;
}
