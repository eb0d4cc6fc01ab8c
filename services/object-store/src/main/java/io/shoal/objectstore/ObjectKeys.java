package io.shoal.objectstore;

import java.util.UUID;

/**
 * Where things live in Shoal's bucket. Content objects get a fresh key per upload; which content a key
 * holds (its SHA-256) is recorded by metadata, which keeps one object per distinct content and removes
 * the redundant ones.
 */
public final class ObjectKeys {

    private ObjectKeys() {
    }

    /** A new object for the {@code index}-th file of upload {@code artifactId}. */
    public static String content(UUID artifactId, int index) {
        return contentPrefix(artifactId) + index;
    }

    /** Every content object upload {@code artifactId} made starts with this. */
    public static String contentPrefix(UUID artifactId) {
        return "content/" + artifactId + "/";
    }

    /** The piece hashes computed while upload {@code artifactId} streamed in. */
    public static String pieceHashes(UUID artifactId) {
        return "piece-hashes/" + artifactId;
    }

    /** The .torrent of artifact {@code artifactId}. */
    public static String torrent(UUID artifactId) {
        return "torrents/" + artifactId + ".torrent";
    }
}
