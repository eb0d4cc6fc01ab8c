package io.shoal.metadata.service;

/**
 * A failure that says nothing about the upload: the store or the database is away or busy. The upload is tried
 * again until they are back; it is never refused, nor dropped, for it.
 */
public final class TransientFailure extends Exception {

    public TransientFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
