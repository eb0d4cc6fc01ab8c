package io.shoal.gateway.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.InjectMock;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.shoal.bittorrent.metainfo.Metainfo;
import io.shoal.events.CatalogEntry;
import io.shoal.gateway.catalog.CatalogUnavailableException;
import io.shoal.gateway.catalog.MetadataClient;
import io.shoal.infra.BackingServicesTestResource;
import io.shoal.objectstore.BlobStore;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;

/** Every status code of the artifact reads and of retirement, with metadata and the store mocked. */
@QuarkusTest
@WithTestResource(BackingServicesTestResource.class)
class ArtifactResourceTest {

    @InjectMock
    MetadataClient metadata;
    @InjectMock
    BlobStore blobs;

    static CatalogEntry entry(String name) {
        return new CatalogEntry(UUID.randomUUID().toString(), name, "PUBLISHED", null, 3, "0".repeat(64), "a".repeat(40), null,
                "v1", 16384, false, null, true, List.of(new CatalogEntry.CatalogFile(List.of(name), 3, "0".repeat(64), "content/x/0")),
                List.of("http://tracker/announce"), "shoal", "torrents/" + name + ".torrent", 0);
    }

    static String token() {
        return ConfigProvider.getConfig().getValue("shoal.gateway.api-token", String.class);
    }

    @Test
    void search_checks_its_parameters_and_answers_503_while_metadata_is_away() throws Exception {
        Mockito.when(metadata.search("img", 100)).thenReturn(List.of(entry("a.img")));
        given().get("/api/v1/artifacts?q=img").then().statusCode(200).body("[0].name", equalTo("a.img"))
                .body("[0].torrentUrl", containsString("/api/v1/artifacts/a.img/torrent"));
        given().get("/api/v1/artifacts?q=" + "x".repeat(256)).then().statusCode(400).body("detail", startsWith("q of 256"));
        given().get("/api/v1/artifacts?limit=0").then().statusCode(400);
        given().get("/api/v1/artifacts?limit=1001").then().statusCode(400);
        given().get("/api/v1/artifacts?limit=many").then().statusCode(404);
        Mockito.when(metadata.search("", 100)).thenThrow(new CatalogUnavailableException("the metadata service is unreachable", null));
        given().get("/api/v1/artifacts").then().statusCode(503).body("detail", equalTo("the metadata service is unreachable"));
    }

    @Test
    void one_artifact_and_its_magnet() throws Exception {
        Mockito.when(metadata.artifact("there.img")).thenReturn(Optional.of(entry("there.img")));
        Mockito.when(metadata.artifact("gone.img")).thenReturn(Optional.empty());
        given().get("/api/v1/artifacts/there.img").then().statusCode(200).body("name", equalTo("there.img"));
        given().get("/api/v1/artifacts/there.img/magnet").then().statusCode(200).body(startsWith("magnet:?xt=urn:btih:"));
        given().get("/api/v1/artifacts/gone.img").then().statusCode(404).body("detail", equalTo("no artifact named 'gone.img'"));
        given().get("/api/v1/artifacts/gone.img/magnet").then().statusCode(404);
        given().urlEncodingEnabled(false).get("/api/v1/artifacts/a%00b").then().statusCode(400).body("detail", startsWith("artifact name:"));
        Mockito.verify(metadata, Mockito.never()).artifact("a\0b");
    }

    @Test
    void the_torrent_is_served_whole_or_not_at_all() throws Exception {
        byte[] torrent = "d8:announce3:abce".getBytes();
        Mockito.when(metadata.artifact(Mockito.anyString())).thenAnswer(call -> Optional.of(entry(call.getArgument(0))));
        Mockito.when(blobs.read("torrents/ok.img.torrent", Metainfo.MAX_TORRENT_BYTES)).thenReturn(Optional.of(torrent));
        given().get("/api/v1/artifacts/ok.img/torrent").then().statusCode(200)
                .contentType("application/x-bittorrent").header("Content-Disposition", containsString("filename=\"ok.img.torrent\""))
                .body(equalTo(new String(torrent)));
        Mockito.when(blobs.read("torrents/lost.img.torrent", Metainfo.MAX_TORRENT_BYTES)).thenReturn(Optional.empty());
        given().get("/api/v1/artifacts/lost.img/torrent").then().statusCode(503).body("detail", containsString("not in the store"));
        Mockito.when(blobs.read("torrents/down.img.torrent", Metainfo.MAX_TORRENT_BYTES)).thenThrow(new IOException("connection refused"));
        given().get("/api/v1/artifacts/down.img/torrent").then().statusCode(503)
                .body("detail", equalTo("the object store failed: connection refused"));
        Mockito.when(blobs.read("torrents/huge.img.torrent", Metainfo.MAX_TORRENT_BYTES))
                .thenThrow(new BlobStore.TooLargeException("torrents/huge.img.torrent", Metainfo.MAX_TORRENT_BYTES));
        given().get("/api/v1/artifacts/huge.img/torrent").then().statusCode(503).body("detail", containsString("not served"))
                .body(not(containsString("Exception")));
    }

    @Test
    void retiring_needs_the_token() throws Exception {
        Mockito.when(metadata.retire("there.img")).thenReturn(true);
        Mockito.when(metadata.retire("gone.img")).thenReturn(false);
        Mockito.when(metadata.retire("away.img")).thenThrow(new CatalogUnavailableException("the metadata service answered 500", null));
        given().delete("/api/v1/artifacts/there.img").then().statusCode(401).header("WWW-Authenticate", "Bearer");
        given().header("Authorization", "Bearer wrong").delete("/api/v1/artifacts/there.img").then().statusCode(401);
        Mockito.verify(metadata, Mockito.never()).retire(Mockito.anyString());
        given().header("Authorization", "Bearer " + token()).delete("/api/v1/artifacts/there.img").then().statusCode(204);
        given().header("Authorization", "Bearer " + token()).delete("/api/v1/artifacts/gone.img").then().statusCode(404);
        given().header("Authorization", "Bearer " + token()).delete("/api/v1/artifacts/away.img").then().statusCode(503)
                .body("detail", equalTo("the metadata service answered 500"));
    }

    @Test
    void preheating_needs_the_token_and_points_at_the_rollout_view() throws Exception {
        java.time.Instant at = java.time.Instant.parse("2026-12-03T10:00:00Z");
        Mockito.when(metadata.preheat("there.img")).thenReturn(Optional.of(
                new io.shoal.events.Rollout.Preheat(at, "requested", 0, 0, 0, null, null, null)));
        Mockito.when(metadata.preheat("gone.img")).thenReturn(Optional.empty());
        Mockito.when(metadata.preheat("away.img")).thenThrow(new CatalogUnavailableException("the metadata service is unreachable", null));
        given().post("/api/v1/artifacts/there.img/preheat").then().statusCode(401);
        given().header("Authorization", "Bearer wrong").post("/api/v1/artifacts/there.img/preheat").then().statusCode(401);
        Mockito.verify(metadata, Mockito.never()).preheat(Mockito.anyString());
        given().header("Authorization", "Bearer " + token()).post("/api/v1/artifacts/there.img/preheat").then().statusCode(202)
                .header("Location", org.hamcrest.Matchers.endsWith("/api/v1/artifacts/there.img/rollout"))
                .body("state", equalTo("requested")).body("requestedAt", equalTo("2026-12-03T10:00:00Z"));
        given().header("Authorization", "Bearer " + token()).post("/api/v1/artifacts/gone.img/preheat").then().statusCode(404);
        given().header("Authorization", "Bearer " + token()).post("/api/v1/artifacts/away.img/preheat").then().statusCode(503)
                .body("detail", equalTo("the metadata service is unreachable"));
        given().header("Authorization", "Bearer " + token()).post("/api/v1/artifacts/" + "x".repeat(300) + "/preheat").then().statusCode(400);
    }
}
