package io.shoal.gateway.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.shoal.bittorrent.metainfo.InfoHash;
import io.shoal.bittorrent.tracker.HttpTrackerResponses;
import io.shoal.bittorrent.tracker.ScrapeStats;
import io.shoal.events.CatalogEntry;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Scrapes against a real HTTP server standing in for the tracker: what it answers, and what it should not. */
class TrackerScrapeTest {

    private static final String KEY = "ab".repeat(20);
    private final AtomicReference<byte[]> answer = new AtomicReference<>();
    private final AtomicInteger status = new AtomicInteger(200);
    private final AtomicInteger asked = new AtomicInteger();
    private final AtomicReference<String> query = new AtomicReference<>();
    private final AtomicLong now = new AtomicLong();
    private HttpServer tracker;
    private String base;

    @BeforeEach
    void start() throws Exception {
        tracker = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        tracker.createContext("/scrape", exchange -> {
            asked.incrementAndGet();
            query.set(exchange.getRequestURI().getRawQuery());
            byte[] body = answer.get();
            exchange.sendResponseHeaders(status.get(), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        tracker.start();
        base = "http://127.0.0.1:" + tracker.getAddress().getPort();
    }

    @AfterEach
    void stop() {
        tracker.stop(0);
    }

    private static CatalogEntry torrent(List<String> trackers) {
        return new CatalogEntry("id", "disk.img", "PUBLISHED", null, 1, "c".repeat(64), KEY, null, "v1", 16384, false, null, true,
                List.of(), trackers, "shoal", "torrents/x.torrent", 0);
    }

    @Test
    void theCountsComeFromTheTorrentsAnnounceUrlAndAreAskedForAtMostEveryFewSeconds() {
        answer.set(HttpTrackerResponses.scrape(Map.of(InfoHash.fromHex(KEY), new ScrapeStats(3, 11, 5))));
        TrackerScrape scrape = new TrackerScrape(Optional.empty(), now::get);
        TrackerScrape.Swarm swarm = scrape.swarm(torrent(List.of(base + "/announce")));
        assertEquals(Optional.of(new ScrapeStats(3, 11, 5)), swarm.stats());
        assertEquals("info_hash=%AB%AB%AB%AB%AB%AB%AB%AB%AB%AB%AB%AB%AB%AB%AB%AB%AB%AB%AB%AB", query.get());
        scrape.swarm(torrent(List.of(base + "/announce")));
        assertEquals(1, asked.get(), "within " + TrackerScrape.FRESH_FOR);
        now.addAndGet(TrackerScrape.FRESH_FOR.toNanos());
        scrape.swarm(torrent(List.of(base + "/announce")));
        assertEquals(2, asked.get());
    }

    @Test
    void aConfiguredTrackerUrlWinsAndATorrentTheTrackerDoesNotKnowCountsNobody() {
        answer.set(HttpTrackerResponses.scrape(Map.of()));
        TrackerScrape.Swarm swarm = new TrackerScrape(Optional.of(base + "/"), now::get).swarm(torrent(List.of("http://elsewhere/announce")));
        assertEquals(Optional.of(new ScrapeStats(0, 0, 0)), swarm.stats());
    }

    @Test
    void whateverTheTrackerGetsWrongIsAReasonNotAnError() {
        TrackerScrape scrape = new TrackerScrape(Optional.of(base), now::get);
        answer.set("d14:failure reason7:go awaye".getBytes(StandardCharsets.US_ASCII));
        assertEquals("the tracker's scrape: go away", scrape.swarm(torrent(List.of())).problem());

        now.addAndGet(TrackerScrape.FRESH_FOR.toNanos());
        answer.set("<html>".getBytes(StandardCharsets.US_ASCII));
        assertTrue(scrape.swarm(torrent(List.of())).problem().startsWith("the tracker's scrape: malformed"));

        now.addAndGet(TrackerScrape.FRESH_FOR.toNanos());
        status.set(500);
        assertEquals("the tracker answered a scrape with HTTP 500", scrape.swarm(torrent(List.of())).problem());

        now.addAndGet(TrackerScrape.FRESH_FOR.toNanos());
        status.set(200);
        answer.set(new byte[TrackerScrape.MAX_BODY_BYTES + 1]);
        assertTrue(scrape.swarm(torrent(List.of())).problem().contains("larger than"));

        assertEquals("the torrent names no HTTP tracker to scrape",
                new TrackerScrape(Optional.empty(), now::get).swarm(torrent(List.of("udp://t:6969"))).problem());
        tracker.stop(0);
        assertTrue(new TrackerScrape(Optional.of(base), now::get).swarm(torrent(List.of())).problem()
                .startsWith("the tracker did not answer a scrape"));
    }

    @Test
    void theScrapeUrlIsTheAnnounceUrlWithScrapeForAnnounceAsBep48Says() {
        assertEquals(Optional.of("http://t:6969/scrape"), TrackerScrape.scrapeUrl(List.of("http://t:6969/announce")));
        assertEquals(Optional.of("https://t/x/scrape.php?key=1"), TrackerScrape.scrapeUrl(List.of("https://t/x/announce.php?key=1")));
        assertEquals(Optional.of("http://b/scrape"), TrackerScrape.scrapeUrl(List.of("udp://a:6969/announce", "http://b/announce")),
                "the first HTTP tracker");
        assertEquals(Optional.empty(), TrackerScrape.scrapeUrl(List.of("http://t/a")), "no scrape convention");
        assertEquals(Optional.empty(), TrackerScrape.scrapeUrl(List.of()));
    }
}
