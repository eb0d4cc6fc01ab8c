package io.shoal.seeder.wire;

import io.shoal.bittorrent.mse.MseHandshake;

/** What the peer wire reports to the worker's metrics. */
public interface WireEvents {

    WireEvents NONE = new WireEvents() {
    };

    default void opened(boolean outgoing) {
    }

    default void closed(CloseReason reason) {
    }

    /** A connection's handshake is through the encryption layer: how it was negotiated. */
    default void negotiated(MseHandshake.Method method) {
    }

    default void served(long bytes) {
    }

    default void metadataServed() {
    }

    default void hashesServed() {
    }
}
