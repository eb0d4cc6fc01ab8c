package io.shoal.gateway.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.shoal.events.SeederStatsEvent;
import io.shoal.gateway.catalog.SeederBoard;
import java.time.Instant;
import java.util.List;

/**
 * A seeder-worker as it last described itself on shoal.seeder.stats (REST contract, {@code GET /api/v1/seeders},
 * and the dashboard's seeders page): what it seeds, its connections, its piece cache ({@code cache} absent from a
 * worker that does not report it; {@code hitRate} absent before its first request).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SeederView(String seederId, String address, int connections, long bytesServed, List<Torrent> torrents,
                         Cache cache, Instant lastSeen) {

    public record Torrent(String infoHash, String name, long bytesServed, int peers, boolean superSeeding) {
    }

    public record Cache(long hits, long misses, Double hitRate, long cachedBytes, long storeBytesRead) {

        static Cache of(SeederStatsEvent.CacheStats stats) {
            double rate = stats.hitRate();
            return new Cache(stats.hits(), stats.misses(), Double.isNaN(rate) ? null : rate, stats.cachedBytes(),
                    stats.storeBytesRead());
        }
    }

    public static SeederView of(SeederBoard.Worker worker) {
        return new SeederView(worker.seederId(), worker.address(), worker.connections(), worker.bytesServed(),
                worker.torrents().stream().map(t -> new Torrent(t.infoHash(), t.name(), t.bytesServed(), t.peers(),
                        t.superSeeding())).toList(),
                worker.cache() == null ? null : Cache.of(worker.cache()), Instant.ofEpochMilli(worker.seenAtMillis()));
    }
}
