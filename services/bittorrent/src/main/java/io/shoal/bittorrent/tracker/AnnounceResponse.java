package io.shoal.bittorrent.tracker;

import java.util.List;
import java.util.Optional;

/**
 * A tracker's answer to an announce (BEP 3, BEP 23, BEP 7).
 *
 * @param complete   seeders in the swarm
 * @param incomplete leechers in the swarm
 * @param downloaded completed downloads the tracker has seen
 */
public record AnnounceResponse(int interval, int minInterval, int complete, int incomplete, long downloaded,
                               List<PeerAddress> peers, Optional<String> warning) {

    public AnnounceResponse {
        peers = List.copyOf(peers);
    }
}
