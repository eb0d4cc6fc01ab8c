package io.shoal.gateway.dashboard;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.InjectMock;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.shoal.bittorrent.tracker.ScrapeStats;
import io.shoal.events.CatalogEntry;
import io.shoal.events.Rollout;
import io.shoal.events.SeederStatsEvent;
import io.shoal.gateway.catalog.CatalogUnavailableException;
import io.shoal.gateway.catalog.MetadataClient;
import io.shoal.gateway.catalog.SeederBoard;
import io.shoal.gateway.catalog.TrackerScrape;
import io.shoal.infra.BackingServicesTestResource;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;

/** The dashboard's pages as a browser without JavaScript gets them (metadata and the tracker's scrape mocked). */
@QuarkusTest
@WithTestResource(BackingServicesTestResource.class)
class DashboardPagesTest {

    private static final String HOSTILE = "<img src=x onerror=alert(1)>.iso";
    private static final String KEY = "1".repeat(40);

    @InjectMock
    MetadataClient metadata;
    @InjectMock
    TrackerScrape scrape;
    @Inject
    SeederBoard board;

    private static CatalogEntry entry(String name, String infoHash) {
        return new CatalogEntry(UUID.randomUUID().toString(), name, "PUBLISHED", null, 3 * 1024 * 1024, "c".repeat(64), infoHash,
                null, "hybrid", 262144, false, "nightly build", false, List.of(
                        new CatalogEntry.CatalogFile(List.of("dir", "a b.bin"), 1024 * 1024, "a".repeat(64), "content/x/0"),
                        new CatalogEntry.CatalogFile(List.of("c.bin"), 2 * 1024 * 1024, "b".repeat(64), "content/y/0")),
                List.of("http://tracker/announce"), "shoal", "torrents/x.torrent", 1_700_000_000_000L);
    }

    @BeforeEach
    void catalog() throws Exception {
        Mockito.when(metadata.search(Mockito.anyString(), Mockito.anyInt())).thenReturn(List.of());
        Mockito.when(metadata.search("", DashboardPages.LIST_LIMIT)).thenReturn(List.of(entry("disk.img", "2".repeat(40)),
                entry(HOSTILE, "3".repeat(40))));
        Mockito.when(metadata.artifact(Mockito.anyString())).thenReturn(Optional.empty());
        Mockito.when(metadata.artifact("set v2")).thenReturn(Optional.of(entry("set v2", KEY)));
        Mockito.when(metadata.artifact(HOSTILE)).thenReturn(Optional.of(entry(HOSTILE, "3".repeat(40))));
        Mockito.when(scrape.swarm(Mockito.any())).thenReturn(TrackerScrape.Swarm.of(new ScrapeStats(4, 17, 9)));
        Instant t = Instant.parse("2026-12-01T10:00:00Z");
        Mockito.when(metadata.rollout(Mockito.eq("set v2"), Mockito.anyBoolean())).thenReturn(Optional.of(new Rollout("set v2", KEY,
                3 * 1024 * 1024, 2, 1, 0, 9 * 1024 * 1024, 6 * 1024 * 1024, 3 * 1024 * 1024, 2.0 / 3,
                List.of(new Rollout.Sample(t, 0, 3, 0, 0, 0), new Rollout.Sample(t.plusSeconds(60), 2, 1, 0, 9 * 1024 * 1024, 3 * 1024 * 1024)),
                List.of(new Rollout.Host("10.0.0.7:6881", "-LT2090-", 0.25, "in_progress", 0, 786432, t, t.plusSeconds(60))),
                new Rollout.Preheat(t, Rollout.Preheat.RUNNING, 3 * 1024 * 1024, 1024 * 1024, 0, "5".repeat(40), t, null))));
    }

    @Test
    void theListShowsWhatIsPublishedWithNamesEscapedAndTheUploadFormForScriptsToShow() {
        String page = given().get("/").then().statusCode(200).contentType(startsWith("text/html"))
                .header("Content-Security-Policy", containsString("script-src 'self'"))
                .header("X-Content-Type-Options", "nosniff").extract().asString();
        org.junit.jupiter.api.Assertions.assertAll(
                () -> org.junit.jupiter.api.Assertions.assertTrue(page.contains("<a href=\"/artifacts/disk.img\">disk.img</a>"), page),
                () -> org.junit.jupiter.api.Assertions.assertTrue(page.contains("&lt;img src=x onerror=alert(1)&gt;.iso"), page),
                () -> org.junit.jupiter.api.Assertions.assertFalse(page.contains("<img src=x"), "never raw"),
                () -> org.junit.jupiter.api.Assertions.assertTrue(page.contains("/artifacts/%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E.iso"), page),
                () -> org.junit.jupiter.api.Assertions.assertTrue(page.contains("3.0 MiB")),
                () -> org.junit.jupiter.api.Assertions.assertTrue(page.contains("2023-11-14 22:13 UTC")),
                () -> org.junit.jupiter.api.Assertions.assertTrue(page.contains("<section id=\"upload\" class=\"panel\" hidden>"),
                        "the upload form is hidden until the script shows it"));
    }

    @Test
    void aSearchAsksTheCatalogAndSaysWhenNothingMatches() throws Exception {
        given().queryParam("q", "\"><b>").get("/").then().statusCode(200)
                .body(containsString("No artifact matches \"&quot;&gt;&lt;b&gt;\"."))
                .body(containsString("value=\"&quot;&gt;&lt;b&gt;\""));
        Mockito.verify(metadata).search("\"><b>", DashboardPages.LIST_LIMIT);
        given().queryParam("q", "x".repeat(256)).get("/").then().statusCode(400).contentType(startsWith("text/html"))
                .body(containsString("at most 255"));
    }

    @Test
    void aCatalogThatIsDownIsAPageThatSaysSoNotAStackTrace() throws Exception {
        Mockito.when(metadata.search(Mockito.anyString(), Mockito.anyInt()))
                .thenThrow(new CatalogUnavailableException("the metadata service is unreachable (ConnectException)", null));
        given().get("/").then().statusCode(503).contentType(startsWith("text/html"))
                .body(containsString("the catalog is unavailable right now")).body(not(containsString("Exception")));
        given().get("/artifacts/nothing-here").then().statusCode(404).contentType(startsWith("text/html"))
                .body(containsString("no artifact named"));
        given().get("/artifacts/{name}", "a/b").then().statusCode(400).contentType(startsWith("text/html"));
    }

    @Test
    void anArtifactPageShowsItsLinksFilesSwarmAndThroughput() {
        board.seen(new SeederStatsEvent("w-page", "10.1.2.3:6881", 0, 10_000, 5, List.of(
                new SeederStatsEvent.TorrentStats(KEY, "set v2", 5_000_000, 2_000_000, 3, true, List.of())), null));
        String page = given().get("/artifacts/{name}", "set v2").then().statusCode(200).extract().asString();
        org.junit.jupiter.api.Assertions.assertAll(
                () -> org.junit.jupiter.api.Assertions.assertTrue(page.contains("magnet:?xt=urn:btih:" + KEY), page),
                () -> org.junit.jupiter.api.Assertions.assertTrue(page.contains("http://127.0.0.1:8080/api/v1/artifacts/set%20v2/torrent")),
                () -> org.junit.jupiter.api.Assertions.assertTrue(page.contains("/api/v1/artifacts/set%20v2/files/dir/a%20b.bin\">dir/a b.bin</a>")),
                () -> org.junit.jupiter.api.Assertions.assertTrue(page.contains("<span class=\"count\" id=\"seeders\">4</span>")),
                () -> org.junit.jupiter.api.Assertions.assertTrue(page.contains("<span class=\"count\" id=\"leechers\">9</span>")),
                () -> org.junit.jupiter.api.Assertions.assertTrue(page.contains("<span class=\"count\" id=\"completed\">17</span>")),
                () -> org.junit.jupiter.api.Assertions.assertTrue(page.contains("4.8 MiB"), "bytes served"),
                () -> org.junit.jupiter.api.Assertions.assertTrue(page.contains("data-samples=\"360\" data-nonzero=\"1\""), page),
                () -> org.junit.jupiter.api.Assertions.assertTrue(page.contains("10.1.2.3:6881")),
                () -> org.junit.jupiter.api.Assertions.assertTrue(page.contains("super-seeding")),
                () -> org.junit.jupiter.api.Assertions.assertTrue(page.contains("data-src=\"/artifacts/set%20v2/swarm\"")),
                () -> org.junit.jupiter.api.Assertions.assertTrue(page.contains("<span class=\"count\" id=\"hosts-completed\">2</span>"), page),
                () -> org.junit.jupiter.api.Assertions.assertTrue(page.contains("<span class=\"count\" id=\"offload\">67%</span>")),
                () -> org.junit.jupiter.api.Assertions.assertTrue(page.contains("<strong>running</strong>,\n    1.0 MiB of 3.0 MiB in the seeder-worker's cache"), page),
                () -> org.junit.jupiter.api.Assertions.assertTrue(page.contains("<tr data-host=\"10.0.0.7:6881\"><td>10.0.0.7:6881</td><td><code>-LT2090-</code></td><td class=\"num\">25%</td>")),
                () -> org.junit.jupiter.api.Assertions.assertTrue(page.contains("<title>Hosts that completed, last 1 min</title>")),
                () -> org.junit.jupiter.api.Assertions.assertTrue(page.contains("/api/v1/artifacts/set%20v2/rollout?hosts=true"), "more hosts than listed"));
        given().get("/api/v1/artifacts/{name}/rollout", "set v2").then().statusCode(200).body("hostsCompleted", equalTo(2))
                .body("originOffload", equalTo(0.6666667f));
        given().get("/api/v1/artifacts/{name}/rollout", "nothing").then().statusCode(404);
        String panel = given().get("/artifacts/{name}/swarm", "set v2").then().statusCode(200).extract().asString();
        org.junit.jupiter.api.Assertions.assertTrue(panel.trim().startsWith("<section class=\"panel\" id=\"swarm\">"), panel);
        given().get("/api/v1/artifacts/{name}/swarm", "set v2").then().statusCode(200).body("seeders", equalTo(4))
                .body("leechers", equalTo(9)).body("completed", equalTo(17)).body("bytesServed", equalTo(5_000_000))
                .body("throughput", hasSize(360)).body("throughput[359].bytesPerSecond", equalTo(200_000.0f))
                .body("seederWorkers[0].address", equalTo("10.1.2.3:6881"));
    }

    @Test
    void aTrackerThatDoesNotAnswerLeavesTheCountsUnknownAndSaysWhy() {
        Mockito.when(scrape.swarm(Mockito.any())).thenReturn(TrackerScrape.Swarm.unknown("the tracker did not answer a scrape (HttpConnectTimeoutException)"));
        given().get("/artifacts/{name}", HOSTILE).then().statusCode(200)
                .body(containsString("<span class=\"count\" id=\"seeders\">?</span>"))
                .body(containsString("No counts from the tracker: the tracker did not answer a scrape"))
                .body(containsString("<h1>&lt;img src=x onerror=alert(1)&gt;.iso</h1>"));
        given().get("/api/v1/artifacts/{name}/swarm", HOSTILE).then().statusCode(200)
                .body("trackerProblem", containsString("did not answer")).body("$", not(org.hamcrest.Matchers.hasKey("seeders")));
    }

    @Test
    void theSeedersPageShowsEachWorkersTorrentsConnectionsAndCache() {
        board.seen(new SeederStatsEvent("w-seeders", "10.9.9.9:6881", 0, 10_000, 7, List.of(
                new SeederStatsEvent.TorrentStats("4".repeat(40), "model.bin", 123, 0, 2, false, List.of())),
                new SeederStatsEvent.CacheStats(90, 10, 4 * 1024 * 1024, 8 * 1024 * 1024)));
        given().get("/seeders").then().statusCode(200)
                .body(containsString("<code>w-seeders</code>"))
                .body(containsString("<dd class=\"hit-rate\">90%"))
                .body(containsString("model.bin")).body(containsString("8.0 MiB"));
        given().get("/api/v1/seeders").then().statusCode(200)
                .body("find { it.seederId == 'w-seeders' }.cache.hitRate", equalTo(0.9f))
                .body("find { it.seederId == 'w-seeders' }.connections", equalTo(7))
                .body("find { it.seederId == 'w-seeders' }.torrents[0].name", equalTo("model.bin"));
    }

    @Test
    void theScriptAndStylesAreServedByTheGateway() {
        given().get("/dashboard/shoal.js").then().statusCode(200).body(containsString("sessionStorage"));
        given().get("/dashboard/shoal.css").then().statusCode(200).contentType(startsWith("text/css"));
    }
}
