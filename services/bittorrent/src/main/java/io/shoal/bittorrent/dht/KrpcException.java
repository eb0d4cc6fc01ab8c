package io.shoal.bittorrent.dht;

import java.util.Optional;

/**
 * A datagram that is not valid KRPC. Carries the transaction id when one could be read, so that a node
 * can answer with error 203 (protocol error) as BEP 5 asks.
 */
public final class KrpcException extends Exception {

    private final byte[] transactionId;

    public KrpcException(String message, byte[] transactionId) {
        super(message);
        this.transactionId = transactionId == null ? null : transactionId.clone();
    }

    public Optional<byte[]> transactionId() {
        return Optional.ofNullable(transactionId).map(byte[]::clone);
    }
}
