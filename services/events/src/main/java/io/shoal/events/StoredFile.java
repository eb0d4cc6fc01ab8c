package io.shoal.events;

import java.util.List;
import java.util.Objects;

/**
 * One file of an artifact and where its bytes are. Content is stored once per distinct SHA-256, so two
 * files (of one artifact or of two) with the same bytes name the same object.
 *
 * @param path      path components below the torrent's directory; a single-file torrent's one file is
 *                  named after the torrent
 * @param length    bytes
 * @param sha256    hex SHA-256 of the file's bytes
 * @param objectKey the object holding exactly these bytes, in the event's bucket
 */
public record StoredFile(List<String> path, long length, String sha256, String objectKey) {

    public StoredFile {
        path = List.copyOf(path);
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(objectKey, "objectKey");
        if (length < 0) {
            throw new IllegalArgumentException("length: " + length + " (expected: >= 0)");
        }
    }
}
