package io.shoal.gateway.catalog;

import io.shoal.bittorrent.PercentEncoding;
import io.shoal.bittorrent.metainfo.InfoHash;
import io.shoal.bittorrent.tracker.HttpTrackerResponses;
import io.shoal.bittorrent.tracker.ScrapeStats;
import io.shoal.bittorrent.tracker.TrackerRequestException;
import io.shoal.events.CatalogEntry;
import io.shoal.events.TorrentPublishedEvent;
import io.shoal.gateway.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A swarm's size as its tracker tells it (a BEP 48 scrape over HTTP): the dashboard's seeders, leechers and
 * completed downloads. One scrape per torrent per {@link #FRESH_FOR} at most, whoever asks; a tracker that is slow
 * or down costs a page {@link #TIMEOUT}, and the answer says why there is no count.
 */
@ApplicationScoped
public class TrackerScrape {

    static final Duration TIMEOUT = Duration.ofSeconds(2);
    static final Duration FRESH_FOR = Duration.ofSeconds(5);
    static final int MAX_REMEMBERED = 1_000;
    /** Scrape answers for one swarm are a few dozen bytes; anything near this is not a tracker. */
    static final int MAX_BODY_BYTES = 64 * 1024;

    /** The count, or why there is none ({@code problem}). */
    public record Swarm(Optional<ScrapeStats> stats, String problem) {

        public static Swarm of(ScrapeStats stats) {
            return new Swarm(Optional.of(stats), null);
        }

        public static Swarm unknown(String problem) {
            return new Swarm(Optional.empty(), problem);
        }
    }

    private record Remembered(Swarm swarm, long atNanos) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final Optional<String> trackerUrl;
    private final Map<String, Remembered> recent = new ConcurrentHashMap<>();
    private final LongSupplier clock;

    @Inject
    TrackerScrape(GatewayConfig config) {
        this(config.trackerUrl(), System::nanoTime);
    }

    TrackerScrape(Optional<String> trackerUrl, LongSupplier nanos) {
        this.trackerUrl = trackerUrl.map(u -> u.replaceAll("/+$", "")).filter(u -> !u.isEmpty());
        this.clock = nanos;
    }

    public Swarm swarm(CatalogEntry entry) {
        String key = TorrentPublishedEvent.swarmKey(entry.infoHash(), entry.infoHashV2());
        long now = clock.getAsLong();
        Remembered remembered = recent.get(key);
        if (remembered != null && now - remembered.atNanos() < FRESH_FOR.toNanos()) {
            return remembered.swarm();
        }
        Swarm swarm = scrape(key, entry.trackers());
        if (recent.size() >= MAX_REMEMBERED) {
            recent.clear();
        }
        recent.put(key, new Remembered(swarm, now));
        return swarm;
    }

    private Swarm scrape(String key, List<String> trackers) {
        Optional<String> url = trackerUrl.map(u -> u + "/scrape").or(() -> scrapeUrl(trackers));
        if (url.isEmpty()) {
            return Swarm.unknown("the torrent names no HTTP tracker to scrape");
        }
        InfoHash hash = InfoHash.fromHex(key);
        String separator = url.get().contains("?") ? "&" : "?";
        byte[] body;
        try {
            HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(URI.create(url.get() + separator + "info_hash="
                    + PercentEncoding.encode(hash.bytes()))).timeout(TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                if (response.statusCode() != 200) {
                    return Swarm.unknown("the tracker answered a scrape with HTTP " + response.statusCode());
                }
                body = in.readNBytes(MAX_BODY_BYTES + 1);
            }
        } catch (IOException | IllegalArgumentException e) {
            return Swarm.unknown("the tracker did not answer a scrape (" + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Swarm.unknown("interrupted");
        }
        if (body.length > MAX_BODY_BYTES) {
            return Swarm.unknown("the tracker's scrape answer is larger than " + MAX_BODY_BYTES + " bytes");
        }
        try {
            Map<InfoHash, ScrapeStats> files = HttpTrackerResponses.parseScrape(body);
            return Swarm.of(files.getOrDefault(hash, new ScrapeStats(0, 0, 0)));
        } catch (TrackerRequestException e) {
            return Swarm.unknown("the tracker's scrape: " + e.getMessage());
        }
    }

    /** BEP 48: an announce URL whose last segment starts with "announce" scrapes at the same URL with "scrape". */
    static Optional<String> scrapeUrl(List<String> trackers) {
        for (String announce : trackers) {
            if (!announce.startsWith("http://") && !announce.startsWith("https://")) {
                continue;
            }
            int slash = announce.lastIndexOf('/');
            if (slash >= 0 && announce.startsWith("announce", slash + 1)) {
                return Optional.of(announce.substring(0, slash + 1) + "scrape" + announce.substring(slash + 1 + "announce".length()));
            }
        }
        return Optional.empty();
    }
}
