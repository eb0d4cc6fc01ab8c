package io.shoal.bittorrent.mse;

import io.netty.handler.codec.DecoderException;

/** An encrypted handshake that cannot go on (or a plaintext one where encryption is required): close. */
public final class MseException extends DecoderException {

    public MseException(String message) {
        super(message);
    }
}
