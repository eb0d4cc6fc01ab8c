package io.shoal.events;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

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

    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    /** Whether {@code value} is a SHA-256 as Shoal writes it everywhere: 64 lowercase hex digits. */
    public static boolean isSha256Hex(String value) {
        return value != null && SHA256_HEX.matcher(value).matches();
    }

    public StoredFile {
        path = List.copyOf(path);
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(objectKey, "objectKey");
        if (length < 0) {
            throw new IllegalArgumentException("length: " + length + " (expected: >= 0)");
        }
    }
}
