package io.shoal.gateway.upload;

import io.shoal.events.CatalogEntry;

/** What an upload came to, in the upload's own terms; the HTTP layer ({@link UploadRoutes}) answers each its way. */
public sealed interface IngestResult {

    /** Stored, recorded, and its torrent published: the .torrent is served now. */
    record Published(CatalogEntry artifact, String serverTiming) implements IngestResult {
    }

    /** The name already holds the same content with the same options: that artifact stands. */
    record Unchanged(CatalogEntry artifact) implements IngestResult {
    }

    /** Stored and handed to metadata, which has not published the torrent yet; it will. */
    record Pending(String name) implements IngestResult {
    }

    /** Refused for something about the upload itself; nothing of it is kept. */
    record Refused(Refusal reason, String detail) implements IngestResult {
    }

    /** The store, Kafka or metadata failed; {@code detail} says what became of the bytes. */
    record Failed(String detail) implements IngestResult {
    }

    /** The client went away mid-body; nothing of it is kept and nobody is left to answer. */
    record Abandoned(String detail) implements IngestResult {
    }

    enum Refusal {
        /** A name, a path, an option or a layout that cannot be. */
        INVALID,
        /** More bytes than the gateway takes. */
        TOO_LARGE,
        /** The name belongs to another artifact. */
        NAME_TAKEN,
        /** Metadata refused what the gateway sent (its reason is the detail). */
        UNPROCESSABLE
    }
}
