package io.shoal.bittorrent.metainfo;

/** A .torrent file or a file layout that Shoal will not accept; the message says what was expected. */
public final class MetainfoException extends Exception {

    public MetainfoException(String message) {
        super(message);
    }

    public MetainfoException(String message, Throwable cause) {
        super(message, cause);
    }
}
