package io.shoal.bittorrent.peerwire;

import io.netty.handler.codec.DecoderException;

/** A peer sent something the peer wire protocol does not allow; the connection should be closed. */
public final class PeerWireException extends DecoderException {

    public PeerWireException(String message) {
        super(message);
    }
}
