package io.shoal.events;

import java.util.List;

/**
 * One artifact as metadata's catalog serves it to the gateway ({@code /internal/v1}, JSON): what the
 * artifact is, its torrent, and where the .torrent file is.
 *
 * @param status     {@code PUBLISHED}, {@code REJECTED} (with {@code reason}) or {@code RETIRED}
 * @param trackers   the announce URLs written into the .torrent, first tier first
 * @param torrentKey the .torrent's object in {@code bucket}
 */
public record CatalogEntry(String artifactId, String name, String status, String reason, long size, String sha256,
                           String infoHash, String infoHashV2, String format, int pieceLength,
                           boolean privateTorrent, String comment, boolean singleFile, List<CatalogFile> files,
                           List<String> trackers, String bucket, String torrentKey, long createdAtMillis) {

    public CatalogEntry {
        files = files == null ? List.of() : List.copyOf(files);
        trackers = trackers == null ? List.of() : List.copyOf(trackers);
    }

    /**
     * A file of the artifact; {@code path} is relative to the torrent's directory (its name, for one file);
     * {@code objectKey} the object in {@code bucket} that holds its bytes (content is stored once, so other
     * artifacts' files may share it; null from a metadata service that predates it).
     */
    public record CatalogFile(List<String> path, long length, String sha256, String objectKey) {
        public CatalogFile {
            path = List.copyOf(path);
        }
    }
}
