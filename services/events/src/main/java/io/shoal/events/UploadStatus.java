package io.shoal.events;

/**
 * What became of an upload, for the gateway waiting on it (metadata's internal API).
 *
 * @param artifact the published artifact: this upload's ({@code PUBLISHED}), or the one that already held its
 *                 name with the same content and options ({@code UNCHANGED})
 */
public record UploadStatus(Status status, String reason, boolean conflict, CatalogEntry artifact) {

    public enum Status {
        /** Not handled yet (or metadata has not seen the event). */
        PENDING,
        /** Recorded and its torrent published. */
        PUBLISHED,
        /** The name already holds the same content with the same options: nothing new, the existing artifact stands. */
        UNCHANGED,
        /** Refused: {@code reason} says why; {@code conflict} when its name was taken by other content. */
        REJECTED
    }
}
