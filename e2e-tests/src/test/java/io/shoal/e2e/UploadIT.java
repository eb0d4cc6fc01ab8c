package io.shoal.e2e;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minio.GetObjectArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.Result;
import io.minio.messages.Item;
import io.restassured.response.Response;
import io.shoal.bittorrent.magnet.MagnetUri;
import io.shoal.bittorrent.metainfo.Metainfo;
import io.shoal.bittorrent.metainfo.MetainfoParser;
import io.shoal.events.ArtifactUploadedEvent;
import io.shoal.events.EventJson;
import io.shoal.events.TorrentPublishedEvent;
import io.shoal.infra.Ports;
import io.shoal.infra.RepoLayout;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Upload to torrent against the whole stack (real Kafka, PostgreSQL, S3 store, all four services), with
 * the reference tools judging the result: mktorrent for v1, python3-libtorrent for hybrid.
 */
class UploadIT {

    private static LocalShoal shoal;
    private static String gateway;
    private static String token;
    private static MinioClient store;
    private static final Random RANDOM = new Random(42);

    @TempDir
    Path dir;

    @BeforeAll
    static void startShoal() throws Exception {
        shoal = LocalShoal.up();
        gateway = shoal.get("gateway.url");
        token = shoal.get("api.token");
        store = MinioClient.builder().endpoint(shoal.get("s3.endpoint"))
                .credentials(shoal.get("s3.access-key"), shoal.get("s3.secret-key")).region("us-east-1").build();
    }

    @AfterAll
    static void stopShoal() throws Exception {
        if (store != null) {
            store.close();
        }
        if (shoal != null) {
            shoal.close();
        }
    }

    @Test
    void v1UploadIsWhatMktorrentMakesAndIsStoredRecordedAndPublished() throws Exception {
        Path file = randomFile("image.qcow2", 3 * 1024 * 1024 + 123);
        Response created = put("image.qcow2", file, "pieceLength", 262144);
        created.then().statusCode(201)
                .body("name", equalTo("image.qcow2"))
                .body("size", equalTo(3 * 1024 * 1024 + 123))
                .body("sha256", equalTo(sha256(Files.readAllBytes(file))))
                .body("format", equalTo("v1"))
                .body("pieceLength", equalTo(262144))
                .body("infoHashV2", equalTo(null))
                .body("torrentUrl", equalTo(gateway + "/api/v1/artifacts/image.qcow2/torrent"));
        String infoHash = created.path("infoHash");

        Response torrent = given().get(gateway + "/api/v1/artifacts/image.qcow2/torrent");
        torrent.then().statusCode(200).contentType("application/x-bittorrent")
                .header("Content-Disposition", startsWith("attachment; filename=\"image.qcow2.torrent\""));
        Metainfo ours = MetainfoParser.parse(torrent.asByteArray());
        assertEquals(infoHash, ours.v1Hash().orElseThrow().hex());
        assertEquals(List.of(List.of(shoal.get("tracker.announce.url"))), ours.announceTiers());
        assertTrue(ours.createdBy().orElseThrow().startsWith("Shoal"), ours.createdBy().toString());

        Path mktorrent = dir.resolve("mktorrent.torrent");
        run("mktorrent", "-l", "18", "-a", shoal.get("tracker.announce.url"), "-o", mktorrent.toString(), file.toString());
        assertEquals(MetainfoParser.parse(Files.readAllBytes(mktorrent)).v1Hash().orElseThrow().hex(), infoHash);

        TorrentPublishedEvent published = torrentEvents().get(infoHash);
        assertEquals("image.qcow2", published.name());
        assertEquals(List.of("image.qcow2"), published.files().getFirst().path());
        assertArrayEquals(Files.readAllBytes(file), object(published.files().getFirst().objectKey()));
        assertArrayEquals(torrent.asByteArray(), object(published.torrentKey()));
        assertTrue(uploadEvents().stream().anyMatch(e -> e.artifactId().equals(published.artifactId())
                && e.sha256().equals(published.sha256())));

        try (Connection db = database();
             PreparedStatement query = db.prepareStatement("select a.status, a.sha256, t.info_hash, f.path, f.length "
                     + "from artifact a join torrent t on t.artifact_id = a.id join artifact_file f on f.artifact_id = a.id "
                     + "where a.name = ?")) {
            query.setString(1, "image.qcow2");
            try (ResultSet row = query.executeQuery()) {
                assertTrue(row.next(), "no row for image.qcow2");
                assertEquals("PUBLISHED", row.getString(1));
                assertEquals(sha256(Files.readAllBytes(file)), row.getString(2));
                assertEquals(infoHash, row.getString(3));
                assertEquals("image.qcow2", row.getString(4));
                assertEquals(Files.size(file), row.getLong(5));
                assertFalse(row.next());
            }
        }
    }

    @Test
    void hybridUploadIsWhatLibtorrentMakes() throws Exception {
        Path file = randomFile("model.bin", 5 * 65536 + 1000);
        Response created = put("model.bin", file, "pieceLength", 65536, "format", "hybrid");
        created.then().statusCode(201).body("format", equalTo("hybrid"));
        Path reference = dir.resolve("libtorrent.torrent");
        Path script = RepoLayout.find().root().resolve("services/bittorrent/src/test/resources/make_torrent.py");
        String hashes = run("/usr/bin/python3", script.toString(), file.toString(), "65536", "hybrid", reference.toString());
        assertTrue(hashes.contains("v1 " + created.path("infoHash")), hashes + " vs " + created.asString());
        assertTrue(hashes.contains("v2 " + created.path("infoHashV2")), hashes + " vs " + created.asString());
        MagnetUri magnet = MagnetUri.parse(created.path("magnet"));
        assertEquals(created.<String>path("infoHashV2"), magnet.v2().orElseThrow().hex());
    }

    @Test
    void aMultiFileUploadIsWhatMktorrentAndLibtorrentMake() throws Exception {
        Path bundle = Files.createDirectories(dir.resolve("bundle"));
        Files.createDirectories(bundle.resolve("sub"));
        Map<String, Integer> sizes = Map.of("readme.txt", 1000, "sub/b.bin", 200_000, "sub/a.bin", 70_000, "z.bin", 65536);
        for (var file : sizes.entrySet()) {
            byte[] bytes = new byte[file.getValue()];
            new Random(file.getKey().hashCode()).nextBytes(bytes);
            Files.write(bundle.resolve(file.getKey()), bytes);
        }
        Path mktorrent = dir.resolve("bundle-mktorrent.torrent");
        run("mktorrent", "-l", "16", "-a", shoal.get("tracker.announce.url"), "-o", mktorrent.toString(), bundle.toString());
        Path reference = dir.resolve("bundle-libtorrent.torrent");
        Path script = RepoLayout.find().root().resolve("services/bittorrent/src/test/resources/make_torrent.py");
        String hashes = run("/usr/bin/python3", script.toString(), bundle.toString(), "65536", "hybrid", reference.toString());

        for (String format : List.of("v1", "hybrid")) {
            var request = given().header("Authorization", "Bearer " + token).multiPart("name", "bundle")
                    .queryParam("pieceLength", 65536).queryParam("format", format);
            for (String path : List.of("sub/b.bin", "readme.txt", "z.bin", "sub/a.bin")) {
                request.multiPart("file", path, Files.readAllBytes(bundle.resolve(path)), "application/octet-stream");
            }
            Response created = request.post(gateway + "/api/v1/artifacts" + ("v1".equals(format) ? "" : "?name=unused"));
            if (format.equals("hybrid")) {
                created.then().statusCode(409); // the name 'bundle' is the v1 torrent's now
                given().header("Authorization", "Bearer " + token).delete(gateway + "/api/v1/artifacts/bundle").then().statusCode(204);
                created = given().header("Authorization", "Bearer " + token).multiPart("name", "bundle")
                        .multiPart("file", "sub/b.bin", Files.readAllBytes(bundle.resolve("sub/b.bin")))
                        .multiPart("file", "readme.txt", Files.readAllBytes(bundle.resolve("readme.txt")))
                        .multiPart("file", "z.bin", Files.readAllBytes(bundle.resolve("z.bin")))
                        .multiPart("file", "sub/a.bin", Files.readAllBytes(bundle.resolve("sub/a.bin")))
                        .queryParam("pieceLength", 65536).queryParam("format", "hybrid")
                        .post(gateway + "/api/v1/artifacts");
                created.then().statusCode(201).body("files.size()", equalTo(4));
                assertTrue(hashes.contains("v1 " + created.path("infoHash")), hashes + " vs " + created.asString());
                assertTrue(hashes.contains("v2 " + created.path("infoHashV2")), hashes + " vs " + created.asString());
            } else {
                created.then().statusCode(201).body("name", equalTo("bundle")).body("files.size()", equalTo(4))
                        .body("files[0].path", equalTo("readme.txt"));
                assertEquals(MetainfoParser.parse(Files.readAllBytes(mktorrent)).v1Hash().orElseThrow().hex(),
                        created.path("infoHash"));
            }
        }
        given().header("Authorization", "Bearer " + token).body("x").post(gateway + "/api/v1/artifacts").then().statusCode(415);
    }

    @Test
    void hostileMultiFileFormsAreRefusedAndLeaveNothing() throws Exception {
        Set<String> before = contentObjects();
        given().header("Authorization", "Bearer " + token).multiPart("name", "evil")
                .multiPart("file", "ok.bin", new byte[100_000]).multiPart("file", "../escape.bin", new byte[10])
                .post(gateway + "/api/v1/artifacts").then().statusCode(400).body("detail", containsString("../escape.bin"));
        given().header("Authorization", "Bearer " + token).multiPart("name", "dupes")
                .multiPart("file", "a.bin", new byte[10]).multiPart("file", "a.bin", new byte[11])
                .post(gateway + "/api/v1/artifacts").then().statusCode(400).body("detail", startsWith("duplicate path"));
        // A file and a directory of one name, apart in sort order ('a.txt' sorts between them).
        given().header("Authorization", "Bearer " + token).multiPart("name", "file-and-dir")
                .multiPart("file", "a", new byte[10]).multiPart("file", "a.txt", new byte[10]).multiPart("file", "a/b", new byte[10])
                .post(gateway + "/api/v1/artifacts").then().statusCode(400).body("detail", equalTo("a is both a file and a directory"));
        given().header("Authorization", "Bearer " + token).multiPart("file", "nameless.bin", new byte[10])
                .post(gateway + "/api/v1/artifacts").then().statusCode(400).body("detail", containsString("needs a name"));
        given().header("Authorization", "Bearer " + token).multiPart("name", "../up").multiPart("file", "f.bin", new byte[10])
                .post(gateway + "/api/v1/artifacts").then().statusCode(400);
        assertEquals(before, contentObjects());
        assertTrue(uploadEvents().stream().noneMatch(e -> List.of("evil", "dupes", "file-and-dir").contains(e.name())));
    }

    /**
     * Each file is completed in the store as it ends: a form of many files holds one file's buffers at a time. Their
     * long paths make an upload event (and a torrent event) of 1.3 MB, more than Kafka's default record limit.
     */
    @Test
    void aFormOfManyFilesWithLongPathsFitsTheGatewaysHeapAndKafkasRecords() throws Exception {
        var request = given().header("Authorization", "Bearer " + token).multiPart("name", "many-files");
        Random random = new Random(7);
        Map<String, byte[]> files = new java.util.TreeMap<>();
        String deep = String.join("/", java.util.Collections.nCopies(12, "x".repeat(250)));
        for (int i = 0; i < 400; i++) {
            byte[] bytes = new byte[i % 50 == 0 ? 300_000 : 1 + random.nextInt(8192)];
            random.nextBytes(bytes);
            files.put(String.format("d%02d/%s/f%03d.bin", i % 7, deep, i), bytes);
        }
        files.forEach((path, bytes) -> request.multiPart("file", path, bytes, "application/octet-stream"));
        Response created = request.post(gateway + "/api/v1/artifacts");
        created.then().log().ifValidationFails().statusCode(201).body("files.size()", equalTo(files.size()));
        List<String> paths = created.path("files.path");
        assertEquals(List.copyOf(files.keySet()), paths);
        MessageDigest all = MessageDigest.getInstance("SHA-256");
        files.values().forEach(all::update);
        assertEquals(HexFormat.of().formatHex(all.digest()), created.path("sha256"));
        assertTrue(!Files.readString(shoal.log("peer-gateway")).contains("OutOfMemoryError"));
    }

    /** An upload event is at most ShoalTopic.MAX_UPLOAD_EVENT_BYTES: a longer file list is refused and leaves nothing. */
    @Test
    void aFileListTooLargeForAnEventIsRefusedAndLeavesNothing() throws Exception {
        Set<String> before = contentObjects();
        var request = given().header("Authorization", "Bearer " + token).multiPart("name", "too-many-paths");
        String deepest = String.join("/", java.util.Collections.nCopies(63, "y".repeat(255)));
        for (int i = 0; i < 560; i++) {
            request.multiPart("file", String.format("%s/f%03d", deepest, i), new byte[] {(byte) i}, "application/octet-stream");
        }
        request.post(gateway + "/api/v1/artifacts").then().statusCode(413)
                .body("detail", containsString("makes an upload event of"));
        assertEquals(before, contentObjects());
        assertTrue(uploadEvents().stream().noneMatch(e -> e.name().equals("too-many-paths")));
    }

    @Test
    void theSameContentIsStoredOnce() throws Exception {
        Path file = randomFile("build.tar", 2 * 1024 * 1024 + 7);
        Response first = put("build-1.tar", file);
        first.then().statusCode(201);
        Set<String> before = contentObjects();

        Response second = put("build-2.tar", file);
        second.then().statusCode(201).body("sha256", equalTo(first.path("sha256")));
        assertNotEquals(first.<String>path("infoHash"), second.path("infoHash"), "another name is another torrent");
        Response again = put("build-1.tar", file);
        again.then().statusCode(200).body("infoHash", equalTo(first.path("infoHash")));
        assertEquals(before, contentObjects(), "a second copy of the content was stored");

        Map<String, TorrentPublishedEvent> events = torrentEvents();
        assertEquals(events.get(first.<String>path("infoHash")).files().getFirst().objectKey(),
                events.get(second.<String>path("infoHash")).files().getFirst().objectKey());
    }

    @Test
    void aNameTakenByOtherContentIsAConflict() throws Exception {
        put("taken.iso", randomFile("a.iso", 100_000)).then().statusCode(201);
        Set<String> before = contentObjects();
        put("taken.iso", randomFile("b.iso", 100_000)).then().statusCode(409)
                .body("error", equalTo("Conflict")).body("detail", not(emptyOrNullString()));
        put("taken.iso", randomFile("a.iso", 100_000), "format", "hybrid").then().statusCode(409);
        assertEquals(before, contentObjects());
    }

    @Test
    void badInputGetsAClearJsonErrorAndStoresNothing() throws Exception {
        Path file = randomFile("ok.bin", 50_000);
        Set<String> before = contentObjects();
        given().body(Files.readAllBytes(file)).put(gateway + "/api/v1/artifacts/ok.bin")
                .then().statusCode(401).body("error", equalTo("Unauthorized"));
        given().header("Authorization", "Bearer wrong-token-wrong-token").body(Files.readAllBytes(file))
                .put(gateway + "/api/v1/artifacts/ok.bin").then().statusCode(401).body("detail", equalTo("wrong API token"));
        // The HTTP layer resolves a ".." segment before routing (RFC 3986), so it never names an artifact.
        given().urlEncodingEnabled(false).header("Authorization", "Bearer " + token).body(Files.readAllBytes(file))
                .put(gateway + "/api/v1/artifacts/..").then().statusCode(404);
        for (String name : List.of("a%01b", "tab%09name", "x".repeat(256), "%C3%A9".repeat(128), "dir%5Cfile")) {
            given().urlEncodingEnabled(false).header("Authorization", "Bearer " + token).body(Files.readAllBytes(file))
                    .put(gateway + "/api/v1/artifacts/" + name)
                    .then().statusCode(400).body("error", equalTo("Bad Request")).body("detail", startsWith("artifact name"));
        }
        given().urlEncodingEnabled(false).header("Authorization", "Bearer " + token).body(Files.readAllBytes(file))
                .put(gateway + "/api/v1/artifacts/a%2Fb").then().statusCode(org.hamcrest.Matchers.oneOf(400, 404));
        given().header("Authorization", "Bearer " + token).body(new byte[0]).put(gateway + "/api/v1/artifacts/empty.bin")
                .then().statusCode(400).body("detail", startsWith("the body is empty"));
        for (String pieceLength : List.of("1000", "8192", "abc", "134217728")) {
            given().header("Authorization", "Bearer " + token).queryParam("pieceLength", pieceLength)
                    .body(Files.readAllBytes(file)).put(gateway + "/api/v1/artifacts/ok.bin")
                    .then().statusCode(400).body("detail", not(emptyOrNullString()));
        }
        given().header("Authorization", "Bearer " + token).queryParam("format", "v3").body(Files.readAllBytes(file))
                .put(gateway + "/api/v1/artifacts/ok.bin").then().statusCode(400).body("detail", startsWith("format 'v3'"));
        given().header("Authorization", "Bearer " + token).queryParam("colour", "blue").body(Files.readAllBytes(file))
                .put(gateway + "/api/v1/artifacts/ok.bin").then().statusCode(400);
        // PostgreSQL refuses NUL in text: refused here, before a byte is stored, not after a 202.
        given().urlEncodingEnabled(false).header("Authorization", "Bearer " + token).body(Files.readAllBytes(file))
                .put(gateway + "/api/v1/artifacts/ok.bin?comment=a%00b").then().statusCode(400)
                .body("detail", startsWith("comment"));
        String chunked = rawPut("chunked.bin", "Transfer-Encoding: chunked\r\n", "5\r\nhello\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII), true);
        assertTrue(chunked.startsWith("HTTP/1.1 411"), chunked);
        assertEquals(before, contentObjects());
        given().get(gateway + "/api/v1/artifacts/ok.bin").then().statusCode(404).body("error", equalTo("Not Found"));
    }

    @Test
    void aClientThatDisconnectsMidUploadLeavesNothingBehind() throws Exception {
        Set<String> before = contentObjects();
        byte[] half = new byte[24 * 1024 * 1024];
        RANDOM.nextBytes(half);
        String answer = rawPut("cut.bin", "Content-Length: " + (48 * 1024 * 1024) + "\r\n", half, false);
        assertEquals("", answer, "the gateway answered a half upload");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!contentObjects().equals(before) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertEquals(before, contentObjects());
        Thread.sleep(500);
        assertTrue(uploadEvents().stream().noneMatch(e -> e.name().equals("cut.bin")));
        given().get(gateway + "/api/v1/artifacts/cut.bin").then().statusCode(404);
        assertTrue(Files.readString(shoal.log("peer-gateway")).contains("upload of 'cut.bin' abandoned"));
        put("after-cut.bin", randomFile("after.bin", 1000)).then().statusCode(201);
    }

    @Test
    void readsListSearchMagnetAndRetire() throws Exception {
        Path shared = randomFile("shared.img", 300_000);
        put("search-alpha.img", shared).then().statusCode(201);
        Response beta = put("search-beta.img", shared);
        beta.then().statusCode(201);
        Response own = put("search-gamma.img", randomFile("own.img", 200_000), "comment", "nightly build", "private", "true");
        own.then().statusCode(201).body("comment", equalTo("nightly build")).body("private", equalTo(true));

        List<String> names = given().queryParam("q", "SEARCH-").get(gateway + "/api/v1/artifacts")
                .then().statusCode(200).extract().path("name");
        assertEquals(new TreeSet<>(List.of("search-alpha.img", "search-beta.img", "search-gamma.img")), new TreeSet<>(names));
        given().get(gateway + "/api/v1/artifacts/search-beta.img").then().statusCode(200)
                .body("infoHash", equalTo(beta.path("infoHash"))).body("files[0].path", equalTo("search-beta.img"));
        String magnet = given().get(gateway + "/api/v1/artifacts/search-beta.img/magnet").then().statusCode(200).extract().asString();
        assertEquals(beta.<String>path("infoHash"), MagnetUri.parse(magnet).v1().orElseThrow().hex());
        assertEquals(List.of(shoal.get("tracker.announce.url")), MagnetUri.parse(magnet).trackers());
        Metainfo gamma = MetainfoParser.parse(given().get(gateway + "/api/v1/artifacts/search-gamma.img/torrent").asByteArray());
        assertTrue(gamma.privateTorrent());
        assertEquals("nightly build", gamma.comment().orElseThrow());

        given().delete(gateway + "/api/v1/artifacts/search-alpha.img").then().statusCode(401);
        Map<String, TorrentPublishedEvent> events = torrentEvents();
        String sharedKey = events.get(beta.<String>path("infoHash")).files().getFirst().objectKey();
        String ownKey = events.get(own.<String>path("infoHash")).files().getFirst().objectKey();
        given().header("Authorization", "Bearer " + token).delete(gateway + "/api/v1/artifacts/search-alpha.img")
                .then().statusCode(204);
        given().header("Authorization", "Bearer " + token).delete(gateway + "/api/v1/artifacts/search-gamma.img")
                .then().statusCode(204);
        given().header("Authorization", "Bearer " + token).delete(gateway + "/api/v1/artifacts/search-gamma.img")
                .then().statusCode(404);
        given().get(gateway + "/api/v1/artifacts/search-gamma.img").then().statusCode(404);
        assertTrue(contentObjects().contains(sharedKey), "content still used by search-beta.img was removed");
        assertFalse(contentObjects().contains(ownKey), "content nobody uses was kept");
        given().get(gateway + "/api/v1/artifacts/search-beta.img/torrent").then().statusCode(200);

        Map<String, TorrentPublishedEvent> after = torrentEvents();
        assertTrue(after.containsKey(own.<String>path("infoHash")));
        assertNull(after.get(own.<String>path("infoHash")), "no tombstone for the retired torrent");
    }

    /**
     * A gateway told to stop (SIGTERM, as Kubernetes and docker stop do) while an upload streams in receives the
     * rest of it, answers 201, and only then exits: quarkus.shutdown.timeout covers uploads in flight, and the
     * deployments give it the time (terminationGracePeriodSeconds, stop_grace_period).
     */
    @Test
    void aGatewayStoppedMidUploadFinishesItBeforeItExits() throws Exception {
        int port = Ports.free();
        ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xmx256m", "-jar",
                RepoLayout.find().root().resolve("services/peer-gateway/target/quarkus-app/quarkus-run.jar").toString())
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("gateway-2.log").toFile());
        Map<String, String> env = builder.environment();
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.put("KAFKA_BOOTSTRAP_SERVERS", shoal.get("kafka.bootstrap.servers"));
        env.put("SHOAL_OBJECT_STORE_ENDPOINT", shoal.get("s3.endpoint"));
        env.put("SHOAL_OBJECT_STORE_ACCESS_KEY", shoal.get("s3.access-key"));
        env.put("SHOAL_OBJECT_STORE_SECRET_KEY", shoal.get("s3.secret-key"));
        env.put("SHOAL_OBJECT_STORE_BUCKET", shoal.get("s3.bucket"));
        env.put("SHOAL_GATEWAY_API_TOKEN", token);
        env.put("SHOAL_GATEWAY_PUBLIC_URL", "http://127.0.0.1:" + port);
        env.put("SHOAL_GATEWAY_METADATA_URL", shoal.get("service.metadata.url"));
        env.put("SHOAL_GATEWAY_METADATA_TOKEN", shoal.get("internal-api.token"));
        Process second = builder.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (status("http://127.0.0.1:" + port + "/q/health/ready") != 200) {
                assertTrue(second.isAlive() && System.nanoTime() < deadline, Files.readString(dir.resolve("gateway-2.log")));
                Thread.sleep(250);
            }
            byte[] body = new byte[12 * 1024 * 1024];
            new Random(7).nextBytes(body);
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.setSoTimeout(60_000);
                OutputStream out = socket.getOutputStream();
                out.write(("PUT /api/v1/artifacts/drained.bin HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
                        + "\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                int chunk = 512 * 1024;
                for (int sent = 0; sent < body.length; sent += chunk) {
                    out.write(body, sent, chunk);
                    out.flush();
                    if (sent == 2 * chunk) {
                        second.destroy(); // SIGTERM, a quarter of the way in
                    }
                    Thread.sleep(100);
                }
                assertTrue(second.isAlive(), "the gateway waits for the upload it is receiving");
                String answer = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                        StandardCharsets.ISO_8859_1)).readLine();
                assertEquals("HTTP/1.1 201 Created", answer, Files.readString(dir.resolve("gateway-2.log")));
            }
            assertTrue(second.waitFor(60, TimeUnit.SECONDS), "the gateway exits once its upload is done");
            String sha = given().get(gateway + "/api/v1/artifacts/drained.bin").then().statusCode(200).extract().path("sha256");
            assertEquals(sha256(body), sha);
        } finally {
            second.destroyForcibly();
        }
    }

    private static int status(String url) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    // --- helpers -------------------------------------------------------------------------------------

    private Response put(String name, Path file, Object... query) throws Exception {
        var request = given().header("Authorization", "Bearer " + token).body(Files.readAllBytes(file));
        for (int i = 0; i < query.length; i += 2) {
            request.queryParam((String) query[i], query[i + 1]);
        }
        return request.put(gateway + "/api/v1/artifacts/" + name);
    }

    /** A PUT written by hand: chunked bodies, or a body cut short by closing the connection. */
    private String rawPut(String name, String headers, byte[] body, boolean readAnswer) throws Exception {
        URI uri = URI.create(gateway);
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            out.write(("PUT /api/v1/artifacts/" + name + " HTTP/1.1\r\nHost: " + uri.getHost() + "\r\nAuthorization: Bearer "
                    + token + "\r\n" + headers + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            if (!readAnswer) {
                InputStream in = socket.getInputStream();
                socket.setSoTimeout(1000);
                try {
                    int b = in.read();
                    return b < 0 ? "" : "answered before the body was complete";
                } catch (java.net.SocketTimeoutException e) {
                    return "";
                }
            }
            return new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    StandardCharsets.ISO_8859_1)).readLine();
        }
    }

    private Path randomFile(String name, int size) throws Exception {
        byte[] bytes = new byte[size];
        new Random(name.hashCode() * 31L + size).nextBytes(bytes);
        Path file = dir.resolve(name);
        Files.write(file, bytes);
        return file;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    private static byte[] object(String key) throws Exception {
        try (InputStream in = store.getObject(GetObjectArgs.builder().bucket(shoal.get("s3.bucket")).object(key).build())) {
            return in.readAllBytes();
        }
    }

    private static Set<String> contentObjects() throws Exception {
        Set<String> keys = new TreeSet<>();
        for (Result<Item> item : store.listObjects(ListObjectsArgs.builder().bucket(shoal.get("s3.bucket"))
                .prefix("content/").recursive(true).build())) {
            keys.add(item.get().objectName());
        }
        return keys;
    }

    private static Connection database() throws Exception {
        return DriverManager.getConnection(shoal.get("postgres.jdbc.url"), shoal.get("postgres.username"),
                shoal.get("postgres.password"));
    }

    /** shoal.torrents from the beginning: the latest value per key (null for a tombstone). */
    private static Map<String, TorrentPublishedEvent> torrentEvents() {
        Map<String, TorrentPublishedEvent> latest = new java.util.HashMap<>();
        for (ConsumerRecord<String, byte[]> record : records("shoal.torrents")) {
            latest.put(record.key(), EventJson.read(record.value(), TorrentPublishedEvent.class));
        }
        return latest;
    }

    private static List<ArtifactUploadedEvent> uploadEvents() {
        return records("shoal.artifacts.uploaded").stream()
                .map(r -> EventJson.read(r.value(), ArtifactUploadedEvent.class)).toList();
    }

    private static List<ConsumerRecord<String, byte[]>> records(String topic) {
        Properties config = new Properties();
        config.put("bootstrap.servers", shoal.get("kafka.bootstrap.servers"));
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    private String run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), String.join(" ", command) + " hung");
        assertEquals(0, process.exitValue(), String.join(" ", command) + ":\n" + output);
        return output;
    }
}
