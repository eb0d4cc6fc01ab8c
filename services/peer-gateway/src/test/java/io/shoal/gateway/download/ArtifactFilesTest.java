package io.shoal.gateway.download;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.quarkus.test.InjectMock;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.shoal.events.CatalogEntry;
import io.shoal.events.SeederStatsEvent;
import io.shoal.gateway.catalog.MetadataClient;
import io.shoal.gateway.catalog.SeederPresence;
import io.shoal.infra.BackingServicesTestResource;
import io.shoal.objectstore.BlobStore;
import jakarta.inject.Inject;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;

/** Files streamed from the real object store (metadata mocked): ranges, validators, both routes, what is not there. */
@QuarkusTest
@WithTestResource(BackingServicesTestResource.class)
class ArtifactFilesTest {

    @InjectMock
    MetadataClient metadata;
    @Inject
    BlobStore blobs;
    @Inject
    SeederPresence seeders;

    private static final String SHA_A = "a".repeat(64);
    private static final String SHA_B = "b".repeat(64);
    private final byte[] one = random(300_000, 1);
    private final byte[] two = random(70_000, 2);
    private String keyOne;
    private String keyTwo;

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    @BeforeEach
    void store() throws Exception {
        keyOne = "content/" + UUID.randomUUID() + "/0";
        keyTwo = "content/" + UUID.randomUUID() + "/1";
        blobs.put(keyOne, one, "application/octet-stream");
        blobs.put(keyTwo, two, "application/octet-stream");
        Mockito.when(metadata.artifact(Mockito.anyString())).thenReturn(Optional.empty());
        Mockito.when(metadata.artifact("disk.img")).thenReturn(Optional.of(entry("disk.img", "PUBLISHED", true,
                List.of(new CatalogEntry.CatalogFile(List.of("disk.img"), one.length, SHA_A, keyOne)))));
        Mockito.when(metadata.artifact("set")).thenReturn(Optional.of(entry("set", "PUBLISHED", false, List.of(
                new CatalogEntry.CatalogFile(List.of("a b", "one.bin"), one.length, SHA_A, keyOne),
                new CatalogEntry.CatalogFile(List.of("two.bin"), two.length, SHA_B, keyTwo)))));
        Mockito.when(metadata.artifact("old.img")).thenReturn(Optional.of(entry("old.img", "RETIRED", true,
                List.of(new CatalogEntry.CatalogFile(List.of("old.img"), one.length, SHA_A, keyOne)))));
        CatalogEntry seeded = entry("seeded.img", "PUBLISHED", true,
                List.of(new CatalogEntry.CatalogFile(List.of("seeded.img"), one.length, SHA_A, keyOne)));
        Mockito.when(metadata.artifact("seeded.img")).thenReturn(Optional.of(new CatalogEntry(seeded.artifactId(), seeded.name(),
                seeded.status(), null, seeded.size(), seeded.sha256(), "e".repeat(40), null, "v1", 16384, false, null, true,
                seeded.files(), seeded.trackers(), "shoal", "torrents/y.torrent", 0)));
        Mockito.when(metadata.artifact("fresh.img")).thenReturn(Optional.of(new CatalogEntry(seeded.artifactId(), "fresh.img",
                "PUBLISHED", null, seeded.size(), seeded.sha256(), "f".repeat(40), null, "v1", 16384, false, null, true,
                List.of(new CatalogEntry.CatalogFile(List.of("fresh.img"), one.length, SHA_A, keyOne)), seeded.trackers(),
                "shoal", "torrents/f.torrent", System.currentTimeMillis())));
        Mockito.when(metadata.artifact("lost.img")).thenReturn(Optional.of(entry("lost.img", "PUBLISHED", true,
                List.of(new CatalogEntry.CatalogFile(List.of("lost.img"), 10, SHA_B, "content/" + UUID.randomUUID() + "/0")))));
    }

    private static CatalogEntry entry(String name, String status, boolean singleFile, List<CatalogEntry.CatalogFile> files) {
        long size = files.stream().mapToLong(CatalogEntry.CatalogFile::length).sum();
        return new CatalogEntry(UUID.randomUUID().toString(), name, status, null, size, "c".repeat(64), "d".repeat(40), null,
                "v1", 16384, false, null, singleFile, files, List.of("http://tracker/announce"), "shoal", "torrents/x.torrent", 0);
    }

    @Test
    void aWholeFileWithItsLengthAndEntityTag() {
        byte[] body = given().get("/api/v1/artifacts/disk.img/files/disk.img").then().statusCode(200)
                .header("Content-Length", String.valueOf(one.length)).header("ETag", '"' + SHA_A + '"')
                .header("Accept-Ranges", "bytes").header("Content-Disposition", equalTo("attachment; filename=\"disk.img\"; filename*=UTF-8''disk.img"))
                .contentType("application/octet-stream").extract().asByteArray();
        assertArrayEquals(one, body);
    }

    @Test
    void singleRangesAre206AndARangePastTheEndIs416() {
        byte[] part = given().header("Range", "bytes=1000-1999").get("/api/v1/artifacts/disk.img/files/disk.img").then()
                .statusCode(206).header("Content-Range", "bytes 1000-1999/300000").header("Content-Length", "1000")
                .extract().asByteArray();
        assertArrayEquals(Arrays.copyOfRange(one, 1000, 2000), part);
        byte[] tail = given().header("Range", "bytes=-10").get("/api/v1/artifacts/disk.img/files/disk.img").then()
                .statusCode(206).header("Content-Range", "bytes 299990-299999/300000").extract().asByteArray();
        assertArrayEquals(Arrays.copyOfRange(one, 299_990, 300_000), tail);
        given().header("Range", "bytes=300000-").get("/api/v1/artifacts/disk.img/files/disk.img").then()
                .statusCode(416).header("Content-Range", "bytes */300000").body("detail", containsString("outside"));
        given().header("Range", "bytes=0-1,5-6").get("/api/v1/artifacts/disk.img/files/disk.img").then()
                .statusCode(200).header("Content-Length", String.valueOf(one.length));
    }

    @Test
    void validatorsAnswer304AndIfRangeFallsBackToTheWholeFile() {
        given().header("If-None-Match", "\"x\", \"" + SHA_A + '"').get("/api/v1/artifacts/disk.img/files/disk.img").then()
                .statusCode(304).header("ETag", '"' + SHA_A + '"');
        given().header("If-None-Match", "\"other\"").get("/api/v1/artifacts/disk.img/files/disk.img").then().statusCode(200);
        given().header("Range", "bytes=0-9").header("If-Range", '"' + SHA_A + '"')
                .get("/api/v1/artifacts/disk.img/files/disk.img").then().statusCode(206);
        given().header("Range", "bytes=0-9").header("If-Range", "\"changed\"")
                .get("/api/v1/artifacts/disk.img/files/disk.img").then().statusCode(200).header("Content-Length", "300000");
    }

    @Test
    void headSaysWhatAGetWouldSendAndSendsNothing() {
        given().head("/api/v1/artifacts/disk.img/files/disk.img").then().statusCode(200)
                .header("Content-Length", String.valueOf(one.length)).header("ETag", '"' + SHA_A + '"');
        given().header("Range", "bytes=10-19").head("/api/v1/web-seed/disk.img").then().statusCode(206)
                .header("Content-Length", "10");
    }

    @Test
    void theWebSeedFindsFilesAsBep19AppendsThem() {
        assertArrayEquals(one, given().get("/api/v1/web-seed/disk.img").then().statusCode(200).extract().asByteArray(),
                "a one-file torrent: its name");
        byte[] part = given().header("Range", "bytes=5-14").get("/api/v1/web-seed/set/a b/one.bin").then().statusCode(206)
                .extract().asByteArray();
        assertArrayEquals(Arrays.copyOfRange(one, 5, 15), part, "a multi-file torrent: name/path");
        assertArrayEquals(two, given().get("/api/v1/artifacts/set/files/two.bin").then().statusCode(200).extract().asByteArray(),
                "the same file by the path the artifact lists");
        given().get("/api/v1/web-seed/set").then().statusCode(404);
        given().get("/api/v1/web-seed/set/one.bin").then().statusCode(404);
    }

    @Test
    void theWebSeedYieldsToASeederWorkerThatSeedsTheTorrent() {
        given().head("/api/v1/web-seed/seeded.img").then().statusCode(200);
        seeders.seen(new SeederStatsEvent("worker", "127.0.0.1:6881", 0, 10_000, 1, List.of(
                new SeederStatsEvent.TorrentStats("e".repeat(40), "seeded.img", 0, 0, 0, false, List.of())), null));
        given().get("/api/v1/web-seed/seeded.img").then().statusCode(503).header("Retry-After", "30")
                .body("detail", containsString("take it from the swarm"));
        assertArrayEquals(one, given().get("/api/v1/artifacts/seeded.img/files/seeded.img").then().statusCode(200)
                .extract().asByteArray(), "a download is never sent to the swarm");
        assertArrayEquals(one, given().get("/api/v1/web-seed/disk.img").then().statusCode(200).extract().asByteArray(),
                "another torrent's web seed still serves");
        given().head("/api/v1/web-seed/fresh.img").then().statusCode(503)
                .header("Retry-After", "30"); // published just now, workers alive: a worker will name it in its next record
    }

    @Test
    void unknownRetiredLostAndHostileNamesAreRefused() {
        given().get("/api/v1/artifacts/none.img/files/none.img").then().statusCode(404)
                .body("detail", equalTo("no artifact named 'none.img'"));
        given().get("/api/v1/artifacts/old.img/files/old.img").then().statusCode(404);
        given().get("/api/v1/web-seed/old.img").then().statusCode(404);
        given().get("/api/v1/artifacts/disk.img/files/other.img").then().statusCode(404)
                .body("detail", equalTo("'disk.img' has no file 'other.img'"));
        given().urlEncodingEnabled(false).get("/api/v1/artifacts/set/files/a%20b/..%2Ftwo.bin").then().statusCode(404);
        given().urlEncodingEnabled(false).get("/api/v1/web-seed/..%2F..%2Fetc").then().statusCode(400);
        given().get("/api/v1/artifacts/lost.img/files/lost.img").then().statusCode(503)
                .body("detail", containsString("not in the store")).body("stack", nullValue());
    }
}
