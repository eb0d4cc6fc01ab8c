package io.shoal.e2e;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.response.Response;
import io.shoal.bittorrent.PercentEncoding;
import io.shoal.bittorrent.metainfo.InfoHash;
import io.shoal.bittorrent.metainfo.MetainfoParser;
import io.shoal.bittorrent.tracker.HttpTrackerResponses;
import io.shoal.bittorrent.tracker.ScrapeStats;
import io.shoal.infra.Ports;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tracker with ordinary clients: a file uploaded to Shoal (so its torrent is published and tracked),
 * a torrent for it made by mktorrent pointing at our tracker, one python3-libtorrent seeder, and leechers
 * that find it only through the tracker: aria2c over HTTP, another libtorrent over udp://, and
 * transmission-cli. Then two tracker replicas: seeder on one, leecher on the other; a restarted replica
 * rebuilds its swarm from Kafka. The stack's tracker runs with a 5 s interval so re-announces come soon.
 */
class TrackerIT {

    private static final Path LT_PEER = Clients.LT_PEER;
    private static final HttpClient HTTP = Clients.HTTP;

    private static LocalShoal shoal;
    private static String trackerUrl;

    @TempDir
    Path dir;

    @RegisterExtension
    final Clients clients = new Clients(() -> dir);

    @BeforeAll
    static void startShoal() throws Exception {
        shoal = LocalShoal.up(Map.of("SHOAL_TRACKER_INTERVAL", "5s", "SHOAL_TRACKER_MIN_INTERVAL", "1s"));
        trackerUrl = shoal.get("service.tracker.url");
    }

    @AfterAll
    static void stopShoal() throws Exception {
        if (shoal != null) {
            shoal.close();
        }
    }

    @Test
    void aria2LibtorrentOverUdpAndTransmissionDownloadFromALibtorrentSeederFoundThroughTheTracker() throws Exception {
        Path seedDir = dir.resolve("seed");
        Path file = seedDir.resolve("build-output.tar");
        byte[] content = randomFile(file, 5 * 1024 * 1024 + 4321);
        String infoHash = upload(file);

        Path httpTorrent = dir.resolve("http.torrent");
        clients.run("mktorrent", "-l", "18", "-a", trackerUrl + "/announce", "-o", httpTorrent.toString(), file.toString());
        Path udpTorrent = dir.resolve("udp.torrent");
        clients.run("mktorrent", "-l", "18", "-a", "udp://127.0.0.1:" + URI.create(trackerUrl).getPort() + "/announce",
                "-o", udpTorrent.toString(), file.toString());
        assertEquals(infoHash, MetainfoParser.parse(Files.readAllBytes(httpTorrent)).v1Hash().orElseThrow().hex(),
                "mktorrent's torrent is the one Shoal published, so the tracker tracks it");

        int seederPort = Ports.free();
        clients.start("seeder", "/usr/bin/python3", LT_PEER.toString(), httpTorrent.toString(), seedDir.toString(),
                Integer.toString(seederPort), "seed", "240");
        // two seeders: the stack's seeder-worker (Shoal seeds what it publishes) and the libtorrent seeder
        clients.await("the seeders in the swarm", () -> scrape(trackerUrl, infoHash).complete() == 2, 30);

        Path aria2Dir = Files.createDirectories(dir.resolve("aria2"));
        clients.aria2c(httpTorrent.toString(), aria2Dir);
        assertArrayEquals(content, Files.readAllBytes(aria2Dir.resolve("build-output.tar")), "aria2c over HTTP");

        Path udpDir = Files.createDirectories(dir.resolve("lt-udp"));
        clients.run(Duration.ofMinutes(3), "/usr/bin/python3", LT_PEER.toString(), udpTorrent.toString(), udpDir.toString(),
                Integer.toString(Ports.free()), "leech", "150");
        assertArrayEquals(content, Files.readAllBytes(udpDir.resolve("build-output.tar")), "libtorrent over udp://");

        // Transmission ignores 127.x peers a tracker hands it: the seeder learns of it from the tracker on
        // its next announce and connects out, which Transmission accepts.
        Path trDir = Files.createDirectories(dir.resolve("transmission"));
        Path trConf = Files.createDirectories(dir.resolve("transmission-conf"));
        int trPort = Ports.free();
        Files.writeString(trConf.resolve("settings.json"), """
                {"dht-enabled": false, "lpd-enabled": false, "pex-enabled": false, "utp-enabled": false,
                 "port-forwarding-enabled": false, "bind-address-ipv4": "127.0.0.1", "peer-port": %d,
                 "peer-port-random-on-start": false, "encryption": 0}
                """.formatted(trPort));
        Path done = dir.resolve("transmission.done");
        Path doneScript = dir.resolve("done.sh");
        Files.writeString(doneScript, "#!/bin/sh\ntouch '" + done + "'\n");
        doneScript.toFile().setExecutable(true);
        clients.start("transmission", "transmission-cli", "-g", trConf.toString(), "-w", trDir.toString(), "-p",
                Integer.toString(trPort), "-f", doneScript.toString(), httpTorrent.toString());
        clients.await("transmission-cli's download", () -> Files.exists(done), 150);
        assertArrayEquals(content, Files.readAllBytes(trDir.resolve("build-output.tar")), "transmission-cli");

        // Transmission keeps seeding and tells the tracker it completed
        clients.await("Transmission's completed announce", () -> {
            ScrapeStats stats = scrape(trackerUrl, infoHash);
            return stats.downloaded() >= 1 && stats.complete() >= 3; // with the worker and the libtorrent seeder
        }, 30);
        String metrics = Clients.get(trackerUrl + "/q/metrics");
        assertTrue(metrics.contains("shoal_tracker_announces_total{protocol=\"udp\"}"), "UDP announces are counted");
    }

    @Test
    void aLeecherOnOneReplicaFindsTheSeederOnAnotherAndARestartedReplicaRebuildsItsSwarms() throws Exception {
        Path seedDir = dir.resolve("seed");
        Path file = seedDir.resolve("model.bin");
        byte[] content = randomFile(file, 3 * 1024 * 1024 + 17);
        String infoHash = upload(file);

        int replicaPort = Ports.free();
        String replicaB = "http://127.0.0.1:" + replicaPort;
        Process b = startReplica(replicaPort);

        Path torrentA = dir.resolve("a.torrent");
        clients.run("mktorrent", "-l", "18", "-a", trackerUrl + "/announce", "-o", torrentA.toString(), file.toString());
        Path torrentB = dir.resolve("b.torrent");
        clients.run("mktorrent", "-l", "18", "-a", replicaB + "/announce", "-o", torrentB.toString(), file.toString());

        Process seeder = clients.start("seeder", "/usr/bin/python3", LT_PEER.toString(), torrentA.toString(), seedDir.toString(),
                Integer.toString(Ports.free()), "seed", "240");
        clients.await("the seeders (libtorrent and the worker), announced to replica A, seen by replica B",
                () -> scrape(replicaB, infoHash).complete() == 2, 30);

        Path aria2Dir = Files.createDirectories(dir.resolve("aria2"));
        clients.aria2c(torrentB.toString(), aria2Dir);
        assertArrayEquals(content, Files.readAllBytes(aria2Dir.resolve("model.bin")), "downloaded through replica B");

        // The seeder dies without a word (no "stopped"), so nobody announces any more; replica B restarts.
        // Whatever it knows once ready it read back from shoal.tracker.announces.
        seeder.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        b.destroy();
        assertTrue(b.waitFor(30, TimeUnit.SECONDS));
        startReplica(replicaPort);
        assertEquals(2, scrape(replicaB, infoHash).complete(),
                "the restarted replica rebuilt the swarm from the log: the dead seeder is only there");
    }

    // --- helpers -------------------------------------------------------------------------------------

    /** A second tracker process on the stack's Kafka; returns once it is ready (catalog and recent announces read). */
    private Process startReplica(int port) throws Exception {
        return clients.service("replica-b", "tracker", port, Map.of("KAFKA_BOOTSTRAP_SERVERS", shoal.get("kafka.bootstrap.servers"),
                "SHOAL_TRACKER_ANNOUNCE_URL", "http://127.0.0.1:" + port + "/announce",
                "SHOAL_TRACKER_INTERVAL", "5s", "SHOAL_TRACKER_MIN_INTERVAL", "1s"));
    }

    /** Random content of the given size, written to the file (the seeder's copy). */
    private static byte[] randomFile(Path file, int size) throws IOException {
        Files.createDirectories(file.getParent());
        byte[] content = new byte[size];
        new Random(size).nextBytes(content);
        Files.write(file, content);
        return content;
    }

    /** Uploads the file under its own name with mktorrent's piece length (2^18), so both make one info-hash. */
    private String upload(Path file) throws IOException {
        Response response = given().header("Authorization", "Bearer " + shoal.get("api.token"))
                .queryParam("pieceLength", 262144).body(Files.readAllBytes(file))
                .put(shoal.get("gateway.url") + "/api/v1/artifacts/" + file.getFileName());
        response.then().statusCode(201);
        return response.path("infoHash");
    }

    private static ScrapeStats scrape(String tracker, String infoHash) {
        try {
            InfoHash hash = InfoHash.fromHex(infoHash);
            byte[] body = HTTP.send(HttpRequest.newBuilder(URI.create(tracker + "/scrape?info_hash="
                    + PercentEncoding.encode(hash.bytes()))).build(), HttpResponse.BodyHandlers.ofByteArray()).body();
            return HttpTrackerResponses.parseScrape(body).getOrDefault(hash, new ScrapeStats(0, 0, 0));
        } catch (Exception e) {
            return new ScrapeStats(0, 0, 0);
        }
    }
}
