package io.shoal.bittorrent.magnet;

/** A magnet link Shoal will not accept; the message says what was expected. */
public final class MagnetException extends Exception {

    public MagnetException(String message) {
        super(message);
    }
}
