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
import io.shoal.infra.RepoLayout;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tracker with ordinary clients: a file uploaded to Shoal (so its torrent is published and tracked),
 * a torrent for it made by mktorrent pointing at our tracker, one python3-libtorrent seeder, and leechers
 * that find it only through the tracker: aria2c over HTTP, another libtorrent over udp://, and
 * transmission-cli. Then two tracker replicas: seeder on one, leecher on the other; a restarted replica
 * rebuilds its swarm from Kafka. The stack's tracker runs with a 5 s interval so re-announces come soon.
 */
class TrackerIT {

    private static final Path LT_PEER = RepoLayout.find().root().resolve("e2e-tests/src/test/resources/lt_peer.py");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static LocalShoal shoal;
    private static String trackerUrl;

    @TempDir
    Path dir;

    private final List<Process> started = new ArrayList<>();

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

    @AfterEach
    void stopClients() throws InterruptedException {
        for (Process process : started) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    @Test
    void aria2LibtorrentOverUdpAndTransmissionDownloadFromALibtorrentSeederFoundThroughTheTracker() throws Exception {
        Path seedDir = dir.resolve("seed");
        Path file = seedDir.resolve("build-output.tar");
        byte[] content = randomFile(file, 5 * 1024 * 1024 + 4321);
        String infoHash = upload(file);

        Path httpTorrent = dir.resolve("http.torrent");
        run("mktorrent", "-l", "18", "-a", trackerUrl + "/announce", "-o", httpTorrent.toString(), file.toString());
        Path udpTorrent = dir.resolve("udp.torrent");
        run("mktorrent", "-l", "18", "-a", "udp://127.0.0.1:" + URI.create(trackerUrl).getPort() + "/announce",
                "-o", udpTorrent.toString(), file.toString());
        assertEquals(infoHash, MetainfoParser.parse(Files.readAllBytes(httpTorrent)).v1Hash().orElseThrow().hex(),
                "mktorrent's torrent is the one Shoal published, so the tracker tracks it");

        int seederPort = Ports.free();
        start("seeder", "/usr/bin/python3", LT_PEER.toString(), httpTorrent.toString(), seedDir.toString(),
                Integer.toString(seederPort), "seed", "240");
        await("the seeder in the swarm", () -> scrape(trackerUrl, infoHash).complete() == 1, 30);

        Path aria2Dir = Files.createDirectories(dir.resolve("aria2"));
        aria2c(httpTorrent, aria2Dir);
        assertArrayEquals(content, Files.readAllBytes(aria2Dir.resolve("build-output.tar")), "aria2c over HTTP");

        Path udpDir = Files.createDirectories(dir.resolve("lt-udp"));
        run(Duration.ofMinutes(3), "/usr/bin/python3", LT_PEER.toString(), udpTorrent.toString(), udpDir.toString(),
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
        start("transmission", "transmission-cli", "-g", trConf.toString(), "-w", trDir.toString(), "-p",
                Integer.toString(trPort), "-f", doneScript.toString(), httpTorrent.toString());
        await("transmission-cli's download", () -> Files.exists(done), 150);
        assertArrayEquals(content, Files.readAllBytes(trDir.resolve("build-output.tar")), "transmission-cli");

        // Transmission keeps seeding and tells the tracker it completed
        await("Transmission's completed announce", () -> {
            ScrapeStats stats = scrape(trackerUrl, infoHash);
            return stats.downloaded() >= 1 && stats.complete() >= 2;
        }, 30);
        String metrics = get(trackerUrl + "/q/metrics");
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
        run("mktorrent", "-l", "18", "-a", trackerUrl + "/announce", "-o", torrentA.toString(), file.toString());
        Path torrentB = dir.resolve("b.torrent");
        run("mktorrent", "-l", "18", "-a", replicaB + "/announce", "-o", torrentB.toString(), file.toString());

        Process seeder = start("seeder", "/usr/bin/python3", LT_PEER.toString(), torrentA.toString(), seedDir.toString(),
                Integer.toString(Ports.free()), "seed", "240");
        await("the seeder, announced to replica A, seen by replica B", () -> scrape(replicaB, infoHash).complete() == 1, 30);

        Path aria2Dir = Files.createDirectories(dir.resolve("aria2"));
        aria2c(torrentB, aria2Dir);
        assertArrayEquals(content, Files.readAllBytes(aria2Dir.resolve("model.bin")), "downloaded through replica B");

        // The seeder dies without a word (no "stopped"), so nobody announces any more; replica B restarts.
        // Whatever it knows once ready it read back from shoal.tracker.announces.
        seeder.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        b.destroy();
        assertTrue(b.waitFor(30, TimeUnit.SECONDS));
        started.remove(b);
        startReplica(replicaPort);
        assertEquals(1, scrape(replicaB, infoHash).complete(), "the restarted replica rebuilt the swarm from the log");
    }

    // --- helpers -------------------------------------------------------------------------------------

    /** A second tracker process on the stack's Kafka; returns once it is ready (catalog and recent announces read). */
    private Process startReplica(int port) throws Exception {
        Path jar = RepoLayout.find().root().resolve("services/tracker/target/quarkus-app/quarkus-run.jar");
        ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xmx256m",
                "-jar", jar.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("replica-b.log").toFile()));
        builder.environment().putAll(Map.of("KAFKA_BOOTSTRAP_SERVERS", shoal.get("kafka.bootstrap.servers"),
                "QUARKUS_HTTP_HOST", "127.0.0.1", "QUARKUS_HTTP_PORT", Integer.toString(port),
                "SHOAL_TRACKER_ANNOUNCE_URL", "http://127.0.0.1:" + port + "/announce",
                "SHOAL_TRACKER_INTERVAL", "5s", "SHOAL_TRACKER_MIN_INTERVAL", "1s"));
        Process process = builder.start();
        started.add(process);
        await("replica on port " + port + " ready", () -> status("http://127.0.0.1:" + port + "/q/health/ready") == 200, 60);
        return process;
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

    private static int status(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static String get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private void await(String what, BooleanSupplier condition, int seconds) throws Exception {
        long deadline = System.currentTimeMillis() + seconds * 1000L;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError(what + " did not happen within " + seconds + " s; client logs:\n" + clientLogs());
            }
            Thread.sleep(250);
        }
    }

    private Process start(String name, String... command) throws IOException {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile()).start();
        started.add(process);
        return process;
    }

    /** aria2c as CLIENTS.md runs it: no DHT, local discovery or peer exchange; exits 0 once complete. */
    private void aria2c(Path torrent, Path into) throws Exception {
        run(Duration.ofMinutes(3), "aria2c", "--dir=" + into, "--enable-dht=false", "--enable-dht6=false",
                "--bt-enable-lpd=false", "--enable-peer-exchange=false", "--disable-ipv6=true",
                "--listen-port=" + Ports.free(), "--seed-time=0", "--file-allocation=none", "--summary-interval=0",
                "--bt-stop-timeout=120", "--follow-torrent=false", torrent.toString());
    }

    private String run(String... command) throws Exception {
        return run(Duration.ofSeconds(60), command);
    }

    private String run(Duration timeout, String... command) throws Exception {
        Path log = Files.createTempFile(dir, "run-", ".log");
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish in " + timeout + ":\n"
                    + Files.readString(log) + "\n" + clientLogs());
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), String.join(" ", command) + ":\n" + output + "\n" + clientLogs());
        return output;
    }

    private String clientLogs() throws IOException {
        StringBuilder out = new StringBuilder();
        try (var files = Files.list(dir)) {
            for (Path log : files.filter(p -> p.toString().endsWith(".log")).toList()) {
                String text = Files.readString(log, StandardCharsets.UTF_8);
                out.append("--- ").append(log.getFileName()).append('\n')
                        .append(text.length() > 3000 ? text.substring(text.length() - 3000) : text).append('\n');
            }
        }
        return out.toString();
    }
}
