package io.shoal.gateway.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.shoal.bittorrent.tracker.ScrapeStats;
import io.shoal.events.CatalogEntry;
import io.shoal.events.TorrentPublishedEvent;
import io.shoal.gateway.catalog.SeederBoard;
import io.shoal.gateway.catalog.TrackerScrape;
import java.time.Instant;
import java.util.List;

/**
 * An artifact's swarm now (REST contract, {@code GET /api/v1/artifacts/{name}/swarm}, and the dashboard's artifact
 * page): the tracker's scrape (null counts and {@code trackerProblem} when it did not answer), the bytes the
 * seeder-workers seeding it say they served, their throughput over the last hour in 10 s steps (oldest first) and
 * who they are.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SwarmView(String infoHash, Integer seeders, Integer leechers, Long completed, String trackerProblem,
                        long bytesServed, List<Sample> throughput, List<Seeder> seederWorkers) {

    public record Sample(Instant at, double bytesPerSecond) {
    }

    public record Seeder(String seederId, String address, long bytesServed, int peers, boolean superSeeding) {
    }

    public static SwarmView of(CatalogEntry entry, TrackerScrape scrape, SeederBoard board) {
        String key = TorrentPublishedEvent.swarmKey(entry.infoHash(), entry.infoHashV2());
        TrackerScrape.Swarm swarm = scrape.swarm(entry);
        ScrapeStats stats = swarm.stats().orElse(null);
        List<Seeder> seeders = board.seeding(key).stream().flatMap(w -> w.torrents().stream()
                .filter(t -> t.infoHash().equals(key))
                .map(t -> new Seeder(w.seederId(), w.address(), t.bytesServed(), t.peers(), t.superSeeding()))).toList();
        return new SwarmView(key, stats == null ? null : stats.complete(), stats == null ? null : stats.incomplete(),
                stats == null ? null : stats.downloaded(), swarm.problem(),
                board.bytesServed(key),
                board.history(key).stream().map(p -> new Sample(Instant.ofEpochMilli(p.atMillis()), p.bytesPerSecond())).toList(),
                seeders);
    }
}
