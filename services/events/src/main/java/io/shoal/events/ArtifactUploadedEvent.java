package io.shoal.events;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Published by peer-gateway to {@link ShoalTopic#ARTIFACTS_UPLOADED} (key: {@link #artifactId}) once an
 * upload's bytes are in the store and hashed; metadata turns it into a torrent.
 *
 * @param artifactId     a fresh id per upload; the {@link TorrentPublishedEvent} that answers it carries it back
 * @param name           the artifact's name, also the torrent's {@code name}
 * @param format         {@code v1}, {@code hybrid} or {@code v2}
 * @param pieceLength    bytes per piece, a power of two
 * @param singleFile     a torrent of one file ({@code PUT}) rather than a directory ({@code POST})
 * @param files          the content files in the order they were hashed (the torrent's order)
 * @param sha256         hex SHA-256 of all content in that order (of the one file, for a single-file torrent)
 * @param size           bytes of content
 * @param bucket         the bucket holding the files and the piece hashes
 * @param pieceHashesKey the object holding the piece hashes computed during the upload ({@code PieceHashesCodec})
 * @param comment        the torrent's {@code comment}, or null
 * @param uploadedAtMillis when the last byte arrived
 */
public record ArtifactUploadedEvent(String artifactId, String name, String format, int pieceLength,
                                    boolean privateTorrent, boolean singleFile, List<StoredFile> files,
                                    String sha256, long size, String bucket, String pieceHashesKey,
                                    String comment, long uploadedAtMillis) {

    /** The longest {@code comment} an upload may give its torrent (the gateway refuses, metadata rejects, beyond). */
    public static final int MAX_COMMENT_LENGTH = 4096;

    /**
     * What is wrong with a {@code comment}, if anything: too long, or holding control characters (a NUL, which
     * PostgreSQL refuses in text, among them) other than tabs and line breaks. The gateway answers 400 with it;
     * metadata, which must not trust the gateway's check, rejects the upload with it.
     */
    public static Optional<String> commentProblem(String comment) {
        if (comment == null) {
            return Optional.empty();
        }
        if (comment.length() > MAX_COMMENT_LENGTH) {
            return Optional.of("comment of " + comment.length() + " characters (expected: <= " + MAX_COMMENT_LENGTH + ")");
        }
        for (int i = 0; i < comment.length(); ) {
            int c = comment.codePointAt(i);
            boolean control = Character.getType(c) == Character.CONTROL && c != '\t' && c != '\n' && c != '\r';
            if (control || Character.getType(c) == Character.SURROGATE) {
                return Optional.of(String.format("comment holds U+%04X at %d (expected: text, tabs and line breaks)", c, i));
            }
            i += Character.charCount(c);
        }
        return Optional.empty();
    }

    public ArtifactUploadedEvent {
        Objects.requireNonNull(artifactId, "artifactId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(format, "format");
        files = List.copyOf(files);
    }
}
