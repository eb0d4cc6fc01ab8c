package io.shoal.gateway.upload;

import java.io.IOException;

/** The client stopped sending: it disconnected, went silent, or ended the body before its Content-Length. */
public final class ClientAbortException extends IOException {

    public ClientAbortException(String message) {
        super(message);
    }

    public ClientAbortException(String message, Throwable cause) {
        super(message, cause);
    }
}
