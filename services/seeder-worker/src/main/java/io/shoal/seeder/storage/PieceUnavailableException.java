package io.shoal.seeder.storage;

/** A piece that cannot be served now: unreadable from the store, or not matching its hash. */
public final class PieceUnavailableException extends RuntimeException {

    public PieceUnavailableException(String message) {
        super(message, null, false, false);
    }
}
