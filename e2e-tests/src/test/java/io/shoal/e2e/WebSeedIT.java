package io.shoal.e2e;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shoal.bittorrent.metainfo.Metainfo;
import io.shoal.bittorrent.metainfo.MetainfoParser;
import io.shoal.infra.ControllableStack;
import io.shoal.infra.ShoalService;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Artifacts over plain HTTP from the gateway, and the BEP 19 web seed every .torrent carries: a download with
 * ranges and validators; aria2c and python3-libtorrent completing with the seeder-worker killed (the web seed
 * alone), one-file and multi-file (v1 with aria2c, hybrid with its pad files with libtorrent); and, with the worker up, the web seed yielding to it (503, Retry-After) so the bytes come from the swarm.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WebSeedIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static ControllableStack stack;

    @TempDir
    Path dir;
    @RegisterExtension
    final Clients clients = new Clients(() -> dir);

    @BeforeAll
    static void startStack() throws Exception {
        // the worker says what it seeds every 2 s, and the gateway believes it for 6 s
        stack = ControllableStack.startInTemporaryHome("shoal-web-seed-", Map.of("shoal.tracker.interval", "5s", "shoal.tracker.min-interval", "1s",
                "shoal.seeder.stats-interval", "2s", "shoal.gateway.web-seed.seeder-ttl", "6s"));
    }

    @AfterAll
    static void stopStack() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    @Order(1)
    void aFileDownloadsOverHttpWholeOrByRangeUntilItsArtifactIsRetired() throws Exception {
        byte[] content = random(3 * 1024 * 1024 + 17, 1);
        JsonNode artifact = upload("notes.bin", content);
        String url = artifact.path("files").path(0).path("url").asText();
        assertEquals(stack.gatewayUrl() + "/api/v1/artifacts/notes.bin/files/notes.bin", url);

        HttpResponse<byte[]> whole = get(url, Map.of());
        assertEquals(200, whole.statusCode());
        assertArrayEquals(content, whole.body());
        assertEquals(sha256(content), artifact.path("files").path(0).path("sha256").asText());
        assertEquals('"' + sha256(content) + '"', whole.headers().firstValue("ETag").orElseThrow());

        HttpResponse<byte[]> part = get(url, Map.of("Range", "bytes=1048576-"));
        assertEquals(206, part.statusCode());
        assertArrayEquals(Arrays.copyOfRange(content, 1 << 20, content.length), part.body());
        assertEquals(304, get(url, Map.of("If-None-Match", '"' + sha256(content) + '"')).statusCode());
        assertEquals(416, get(url, Map.of("Range", "bytes=" + content.length + "-")).statusCode());

        assertEquals(204, Clients.HTTP.send(HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + "/api/v1/artifacts/notes.bin"))
                .header("Authorization", "Bearer " + stack.apiToken()).DELETE().build(), HttpResponse.BodyHandlers.discarding())
                .statusCode());
        assertEquals(404, get(url, Map.of()).statusCode(), "retired");
        assertEquals(404, get(stack.gatewayUrl() + "/api/v1/web-seed/notes.bin", Map.of()).statusCode(), "retired");
    }

    @Test
    @Order(2)
    void aria2AndLibtorrentCompleteFromTheWebSeedWithTheSeederKilled() throws Exception {
        byte[] content = random(6 * 1024 * 1024 + 999, 2);
        JsonNode artifact = upload("rescue.img", content);
        Path torrent = torrentFile(artifact);
        Metainfo metainfo = MetainfoParser.parse(Files.readAllBytes(torrent));
        assertEquals(List.of(stack.gatewayUrl() + "/api/v1/web-seed/"), metainfo.urlList());
        // multi-file: BEP 19 appends name/path; the hybrid one has pad files between its files (BEP 47)
        Map<String, byte[]> bundle = Map.of("sub/a.bin", random(1_500_000, 4), "read me.txt", random(70_001, 5),
                "z.bin", random(2_000_003, 6));
        Path v1Bundle = torrentFile(uploadFiles("bundle-v1", "v1", bundle));
        Path hybridBundle = torrentFile(uploadFiles("bundle-hybrid", "hybrid", bundle));

        String webSeed = stack.gatewayUrl() + "/api/v1/web-seed/rescue.img";
        clients.await("the web seed to yield to the worker", () -> head(webSeed) == 503, 60);
        stack.kill(ShoalService.SEEDER_WORKER);
        try {
            clients.await("the web seed to serve once the worker is gone", () -> head(webSeed) == 200
                    && head(stack.gatewayUrl() + "/api/v1/web-seed/bundle-hybrid/z.bin") == 200, 30);
            double before = webSeedBytes();
            Path aria2 = Files.createDirectories(dir.resolve("aria2"));
            clients.aria2c(torrent.toString(), aria2);
            assertArrayEquals(content, Files.readAllBytes(aria2.resolve("rescue.img")), "aria2c, web seed only");

            Path lt = Files.createDirectories(dir.resolve("lt"));
            Process leecher = clients.libtorrent("libtorrent", torrent.toString(), lt, "leech", 120);
            assertTrue(leecher.waitFor(150, TimeUnit.SECONDS) && leecher.exitValue() == 0, clients.logs());
            assertArrayEquals(content, Files.readAllBytes(lt.resolve("rescue.img")), "libtorrent, web seed only");
            assertTrue(webSeedBytes() - before >= 2.0 * content.length, "both downloads came from the web seed");

            Path aria2Bundle = Files.createDirectories(dir.resolve("aria2-bundle"));
            clients.aria2c(v1Bundle.toString(), aria2Bundle);
            Path ltBundle = Files.createDirectories(dir.resolve("lt-bundle"));
            Process hybrid = clients.libtorrent("libtorrent-hybrid", hybridBundle.toString(), ltBundle, "leech", 120);
            assertTrue(hybrid.waitFor(150, TimeUnit.SECONDS) && hybrid.exitValue() == 0, clients.logs());
            for (Map.Entry<String, byte[]> file : bundle.entrySet()) {
                assertArrayEquals(file.getValue(), Files.readAllBytes(aria2Bundle.resolve("bundle-v1").resolve(file.getKey())),
                        "aria2c, v1 multi-file: " + file.getKey());
                assertArrayEquals(file.getValue(), Files.readAllBytes(ltBundle.resolve("bundle-hybrid").resolve(file.getKey())),
                        "libtorrent, hybrid multi-file: " + file.getKey());
            }
        } finally {
            stack.start(ShoalService.SEEDER_WORKER);
        }
    }

    @Test
    @Order(3)
    void withTheSeederUpTheBytesComeFromItAndNotTheWebSeed() throws Exception {
        byte[] content = random(24 * 1024 * 1024, 3);
        JsonNode artifact = upload("fleet.img", content);
        Path torrent = torrentFile(artifact);
        String key = artifact.path("infoHash").asText();
        String worker = stack.managementUrl(ShoalService.SEEDER_WORKER);
        clients.await("the worker to seed fleet.img", () -> served(worker, key) >= 0, 60);
        clients.await("the web seed to yield to the worker", () -> head(stack.gatewayUrl() + "/api/v1/web-seed/fleet.img") == 503, 30);

        double webSeedBefore = webSeedBytes();
        long workerBefore = served(worker, key);
        Path lt = Files.createDirectories(dir.resolve("lt"));
        Process leecher = clients.libtorrent("libtorrent", torrent.toString(), lt, "leech", 120);
        assertTrue(leecher.waitFor(150, TimeUnit.SECONDS) && leecher.exitValue() == 0, clients.logs());
        assertArrayEquals(content, Files.readAllBytes(lt.resolve("fleet.img")));
        long fromWorker = served(worker, key) - workerBefore;
        long fromWebSeed = (long) (webSeedBytes() - webSeedBefore);
        System.out.printf("libtorrent's %d bytes: %d from the seeder-worker, %d from the web seed%n", content.length,
                fromWorker, fromWebSeed);
        assertTrue(fromWorker >= content.length && fromWebSeed == 0, "the worker " + fromWorker + " B, the web seed " + fromWebSeed + " B");
    }

    private static int head(String url) {
        try {
            return Clients.HTTP.send(HttpRequest.newBuilder(URI.create(url)).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static HttpResponse<byte[]> get(String url, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        headers.forEach(request::header);
        return Clients.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static JsonNode upload(String name, byte[] content) throws Exception {
        HttpResponse<String> response = Clients.HTTP.send(HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + "/api/v1/artifacts/" + name))
                .header("Authorization", "Bearer " + stack.apiToken()).PUT(HttpRequest.BodyPublishers.ofByteArray(content)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, response.statusCode(), response.body());
        return JSON.readTree(Clients.get(stack.gatewayUrl() + "/api/v1/artifacts/" + name));
    }

    private static JsonNode uploadFiles(String name, String format, Map<String, byte[]> files) throws Exception {
        var request = given().header("Authorization", "Bearer " + stack.apiToken()).multiPart("name", name)
                .queryParam("format", format).queryParam("pieceLength", 65536);
        files.forEach((path, bytes) -> request.multiPart("file", path, bytes, "application/octet-stream"));
        request.post(stack.gatewayUrl() + "/api/v1/artifacts").then().statusCode(201);
        return JSON.readTree(Clients.get(stack.gatewayUrl() + "/api/v1/artifacts/" + name));
    }

    private Path torrentFile(JsonNode artifact) throws Exception {
        Path file = dir.resolve(artifact.path("name").asText() + ".torrent");
        Files.write(file, get(artifact.path("torrentUrl").asText(), Map.of()).body());
        return file;
    }

    /** shoal_gateway_download_bytes_total{route="web_seed"}. */
    private static double webSeedBytes() throws Exception {
        return Clients.metric(stack.managementUrl(ShoalService.PEER_GATEWAY), "shoal_gateway_download_bytes_total", "route=\"web_seed\"");
    }

    /** Bytes the worker served of the torrent; -1 while it does not seed it. */
    private static long served(String worker, String key) {
        try {
            for (JsonNode torrent : JSON.readTree(Clients.get(worker + "/api/v1/torrents")).path("torrents")) {
                if (torrent.path("infoHash").asText().equals(key)) {
                    return torrent.path("bytesServed").asLong();
                }
            }
        } catch (Exception e) {
            // not answering yet
        }
        return -1;
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
