package io.shoal.bittorrent.tracker;

/**
 * A tracker request that cannot be served. The message is sent back to the client as is: as the
 * bencoded {@code failure reason} over HTTP, or in a BEP 15 error packet over UDP.
 */
public final class TrackerRequestException extends Exception {

    public TrackerRequestException(String failureReason) {
        super(failureReason);
    }
}
