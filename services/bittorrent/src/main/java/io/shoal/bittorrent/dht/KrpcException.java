package io.shoal.bittorrent.dht;

import io.shoal.bittorrent.bencode.BString;
import java.util.Optional;

/**
 * A datagram that is not valid KRPC. Carries the transaction id when one could be read, so that a node
 * can answer with error 203 (protocol error) as BEP 5 asks.
 */
public final class KrpcException extends Exception {

    private final transient BString transactionId;

    public KrpcException(String message, BString transactionId) {
        super(message);
        this.transactionId = transactionId;
    }

    public Optional<BString> transactionId() {
        return Optional.ofNullable(transactionId);
    }
}
