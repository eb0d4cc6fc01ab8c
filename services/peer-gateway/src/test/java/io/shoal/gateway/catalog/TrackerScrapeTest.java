package io.shoal.gateway.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TrackerScrapeTest {

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
