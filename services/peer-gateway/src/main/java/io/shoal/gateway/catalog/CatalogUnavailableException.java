package io.shoal.gateway.catalog;

/** The metadata service did not answer, or answered something it should not have: nothing can be decided now. */
public final class CatalogUnavailableException extends Exception {

    public CatalogUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
