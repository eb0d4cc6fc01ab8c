package io.shoal.events;

import java.util.List;
import java.util.Objects;

/**
 * Published by metadata to the compacted {@link ShoalTopic#TORRENTS} (key: {@link #swarmKey()}); a
 * tombstone under the same key retires the torrent. Everything a seeder or a tracker needs to serve it.
 *
 * @param artifactId  the upload this torrent was made from (the gateway waits for it)
 * @param infoHash    hex v1 info-hash; null for a v2-only torrent
 * @param infoHashV2  hex v2 info-hash (32 bytes); null for a v1 torrent
 * @param files       content files in torrent order, with their objects
 * @param trackers    the announce URLs in the .torrent, where seeders announce
 * @param torrentKey  the object holding the .torrent file, in {@code bucket}
 */
public record TorrentPublishedEvent(String artifactId, String name, String infoHash, String infoHashV2,
                                    String format, int pieceLength, long size, String sha256,
                                    boolean privateTorrent, boolean singleFile, List<StoredFile> files,
                                    List<String> trackers, String bucket, String torrentKey,
                                    long publishedAtMillis) {

    public TorrentPublishedEvent {
        Objects.requireNonNull(artifactId, "artifactId");
        Objects.requireNonNull(name, "name");
        if (infoHash == null && infoHashV2 == null) {
            throw new IllegalArgumentException("a torrent needs a v1 or a v2 info-hash");
        }
        files = List.copyOf(files);
        trackers = trackers == null ? List.of() : List.copyOf(trackers);
    }

    /**
     * The record key on {@code shoal.torrents}: the v1 info-hash, or for a v2-only torrent the v2 hash
     * truncated to 20 bytes, which is what BEP 52 clients announce to trackers.
     */
    public String swarmKey() {
        return swarmKey(infoHash, infoHashV2);
    }

    public static String swarmKey(String infoHash, String infoHashV2) {
        return infoHash != null ? infoHash : infoHashV2.substring(0, 40);
    }
}
