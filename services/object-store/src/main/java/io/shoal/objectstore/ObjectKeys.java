package io.shoal.objectstore;

import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where things live in Shoal's bucket, and the one place that decides which object belongs to which upload.
 * Content objects get a fresh key per upload; which content a key holds (its SHA-256) is recorded by metadata,
 * which keeps one object per distinct content and removes the redundant ones. Keys are matched exactly, never
 * by prefix: {@code content/<id>/../x} belongs to nobody.
 */
public final class ObjectKeys {

    static final String CONTENT = "content/";
    static final String PIECE_HASHES = "piece-hashes/";
    static final String TORRENTS = "torrents/";
    private static final String UUID_PATTERN = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
    private static final Pattern OWNED = Pattern.compile("(?:content/(" + UUID_PATTERN + ")/(?:0|[1-9][0-9]{0,8})"
            + "|piece-hashes/(" + UUID_PATTERN + ")|torrents/(" + UUID_PATTERN + ")\\.torrent)");

    private ObjectKeys() {
    }

    /** A new object for the {@code index}-th file of upload {@code artifactId}. */
    public static String content(UUID artifactId, int index) {
        return contentPrefix(artifactId) + index;
    }

    /** What upload {@code artifactId}'s content keys start with: for listing them; ownership is {@link #isContentOf}. */
    public static String contentPrefix(UUID artifactId) {
        return CONTENT + artifactId + "/";
    }

    /** The piece hashes computed while upload {@code artifactId} streamed in. */
    public static String pieceHashes(UUID artifactId) {
        return PIECE_HASHES + artifactId;
    }

    /** The .torrent of artifact {@code artifactId}. */
    public static String torrent(UUID artifactId) {
        return TORRENTS + artifactId + ".torrent";
    }

    /** Every prefix under which Shoal writes; anything else in the bucket is not Shoal's to touch. */
    public static java.util.List<String> prefixes() {
        return java.util.List.of(CONTENT, PIECE_HASHES, TORRENTS);
    }

    /** The upload an object of Shoal's layout was written by; empty for any other key. */
    public static Optional<UUID> owner(String key) {
        Matcher m = OWNED.matcher(key);
        if (!m.matches()) {
            return Optional.empty();
        }
        String id = m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3);
        return Optional.of(UUID.fromString(id));
    }

    /** Whether {@code key} is one of the content objects upload {@code artifactId} wrote: exactly content/&lt;id&gt;/&lt;n&gt;. */
    public static boolean isContentOf(String key, UUID artifactId) {
        return key.startsWith(CONTENT) && owner(key).filter(artifactId::equals).isPresent();
    }

    /** Whether {@code key} is some upload's content object, the only kind a stored file may point at. */
    public static boolean isContent(String key) {
        return key.startsWith(CONTENT) && owner(key).isPresent();
    }
}
