package io.shoal.events;

import java.util.List;

/**
 * Published by each seeder-worker to {@link ShoalTopic#SEEDER_STATS} (key: {@code seederId}) every stats
 * interval: its ledger, bytes served per torrent and per peer since the worker started.
 *
 * @param seederId        the worker (its peer id, hex)
 * @param intervalMillis  how long since the previous record of this worker
 * @param torrents        the torrents it seeds, with what they served
 * @param cache           its piece cache since it started (null from a worker that predates it)
 */
public record SeederStatsEvent(String seederId, String advertisedAddress, long atMillis, long intervalMillis,
                               int connections, List<TorrentStats> torrents, CacheStats cache) {

    public SeederStatsEvent {
        torrents = torrents == null ? List.of() : List.copyOf(torrents);
    }

    /**
     * The worker's piece cache, counted since it started.
     *
     * @param hits           block requests answered from pieces in memory
     * @param misses         pieces that had to be read from the object store
     * @param cachedBytes    bytes of pieces in memory now
     * @param storeBytesRead bytes read from the object store
     */
    public record CacheStats(long hits, long misses, long cachedBytes, long storeBytesRead) {

        /** Hits per block request, 0 to 1; NaN before the first request. */
        public double hitRate() {
            long requests = hits + misses;
            return requests == 0 ? Double.NaN : (double) hits / requests;
        }
    }

    /**
     * @param infoHash          the torrent's key on shoal.torrents
     * @param bytesServed       since the worker started seeding it
     * @param bytesServedInterval since the previous record
     * @param cachedBytes       bytes of this torrent's pieces in the worker's cache now
     * @param preheat           the latest preheat of this torrent on this worker (null: none)
     */
    public record TorrentStats(String infoHash, String name, long bytesServed, long bytesServedInterval, int peers,
                               boolean superSeeding, List<PeerStats> ledger, long cachedBytes, PreheatStats preheat) {
        public TorrentStats {
            ledger = ledger == null ? List.of() : List.copyOf(ledger);
        }

        public TorrentStats(String infoHash, String name, long bytesServed, long bytesServedInterval, int peers,
                            boolean superSeeding, List<PeerStats> ledger) {
            this(infoHash, name, bytesServed, bytesServedInterval, peers, superSeeding, ledger, 0, null);
        }
    }

    /**
     * A preheat ({@link PreheatRequestedEvent}) as the worker runs it: pieces read into its cache before hosts ask.
     *
     * @param requestedAtMillis the request it answers (the event's {@code requestedAtMillis})
     * @param finishedAtMillis  when every wanted piece had been read or had failed; 0 while it runs
     * @param bytesWanted       what it reads: the whole torrent, or less when the cache is smaller
     * @param bytesRead         of those, pieces read (or found in the cache) so far
     * @param piecesFailed      pieces that could not be read or did not match their hash
     * @param wholeTorrent      every piece is wanted (false: the cache is smaller than the torrent; what fits is read)
     */
    public record PreheatStats(long requestedAtMillis, long finishedAtMillis, long bytesWanted, long bytesRead, int piecesFailed,
                               boolean wholeTorrent) {
    }

    /** One peer's account: bytes it downloaded from this worker and bytes it sent us. */
    public record PeerStats(String peerId, String address, long bytesServed, long bytesReceived) {
    }
}
