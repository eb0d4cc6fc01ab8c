package io.shoal.seeder.wire;

/** What the peer wire reports to the worker's metrics. */
public interface WireEvents {

    WireEvents NONE = new WireEvents() {
    };

    default void opened(boolean outgoing) {
    }

    /** @param kind why: bad_handshake, unknown_torrent, full, seed, protocol, out_of_range, flood, timeout, idle, retired, closed */
    default void closed(String kind) {
    }

    default void served(long bytes) {
    }

    default void metadataServed() {
    }

    default void hashesServed() {
    }
}
