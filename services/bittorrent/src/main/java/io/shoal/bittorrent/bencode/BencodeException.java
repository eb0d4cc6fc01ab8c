package io.shoal.bittorrent.bencode;

/** Malformed or over-limit bencode. The offset is where in the input the problem was found. */
public final class BencodeException extends Exception {

    private final long offset;

    public BencodeException(String message, long offset) {
        super(message + " at offset " + offset);
        this.offset = offset;
    }

    public long offset() {
        return offset;
    }
}
