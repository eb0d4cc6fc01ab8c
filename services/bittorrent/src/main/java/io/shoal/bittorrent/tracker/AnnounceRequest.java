package io.shoal.bittorrent.tracker;

import io.shoal.bittorrent.metainfo.InfoHash;
import io.shoal.bittorrent.metainfo.PeerId;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * An announce (BEP 3; BEP 15 carries the same fields over UDP).
 *
 * @param numWant how many peers the client asks for; empty means the tracker's default (50)
 * @param compact whether the client accepts BEP 23 compact peers (the default)
 * @param ip      an address the client claims for itself; a tracker trusts it only when configured to
 * @param key     BEP 3's {@code key}: lets a tracker recognise a peer whose address changed
 */
public record AnnounceRequest(InfoHash infoHash, PeerId peerId, int port, long uploaded, long downloaded,
                              long left, AnnounceEvent event, OptionalInt numWant, boolean compact,
                              boolean noPeerId, Optional<String> ip, Optional<String> key) {

    public AnnounceRequest {
        if (infoHash.version() != InfoHash.Version.V1) {
            throw new IllegalArgumentException("trackers use 20-byte info-hashes (a v2 hash truncated)");
        }
    }

    public boolean seeder() {
        return left == 0;
    }
}
