package io.shoal.e2e;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.response.Response;
import io.shoal.bittorrent.PercentEncoding;
import io.shoal.bittorrent.metainfo.InfoHash;
import io.shoal.bittorrent.tracker.HttpTrackerResponses;
import io.shoal.bittorrent.tracker.PeerAddress;
import io.shoal.bittorrent.tracker.TrackerRequestException;
import io.shoal.events.EventJson;
import io.shoal.events.SeederStatsEvent;
import io.shoal.events.ShoalTopic;
import io.shoal.infra.Ports;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seeder-worker with ordinary clients, each holding only what the gateway hands out (a .torrent or a
 * magnet link) and finding the worker only through the tracker: aria2c, python3-libtorrent and
 * transmission-daemon; magnet links alone; a hybrid torrent joined by its v1 and its v2 hash; a v2-only
 * torrent; hostile connections beside a download; a second worker taking over from a killed one. The
 * workers' upload is capped (4 MB/s), so a download of the failover test is still running when its worker dies.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SeederIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int RATE = 4_000_000;
    private static LocalShoal shoal;

    @TempDir
    Path dir;
    @RegisterExtension
    final Clients clients = new Clients(() -> dir);

    @BeforeAll
    static void startShoal() throws Exception {
        shoal = LocalShoal.up(Map.of("SHOAL_TRACKER_INTERVAL", "5s", "SHOAL_TRACKER_MIN_INTERVAL", "1s",
                "SHOAL_SEEDER_UPLOAD_RATE_LIMIT", Integer.toString(RATE),
                "SHOAL_SEEDER_CONNECTIONS_HANDSHAKE_TIMEOUT", "2s"));
    }

    @AfterAll
    static void stopShoal() throws Exception {
        if (shoal != null) {
            shoal.close();
        }
    }

    @Test
    void aria2LibtorrentAndTransmissionDownloadFromTheWorkerWithTheGatewaysTorrent() throws Exception {
        byte[] content = random(5 * 1024 * 1024 + 4321, 1);
        JsonNode artifact = upload("vm-image.qcow2", content, "v1");
        Path torrent = torrentFile(artifact);

        Path aria2 = Files.createDirectories(dir.resolve("aria2"));
        clients.aria2c(torrent.toString(), aria2);
        assertArrayEquals(content, Files.readAllBytes(aria2.resolve("vm-image.qcow2")), "aria2c");

        Path lt = Files.createDirectories(dir.resolve("lt"));
        Process leecher = clients.libtorrent("libtorrent", torrent.toString(), lt, "leech", 120);
        assertTrue(leecher.waitFor(150, TimeUnit.SECONDS) && leecher.exitValue() == 0, clients.logs());
        assertArrayEquals(content, Files.readAllBytes(lt.resolve("vm-image.qcow2")), "libtorrent");

        // Transmission ignores 127.x peers a tracker hands it: it gets the bytes because the worker, seeing it
        // in an announce answer, connects out to it (CLIENTS.md)
        Path downloads = Files.createDirectories(dir.resolve("transmission"));
        int rpc = transmissionDaemon(downloads);
        clients.run("transmission-remote", "127.0.0.1:" + rpc, "-a", torrent.toString());
        clients.await("Transmission at 100%", () -> Clients.output("transmission-remote", "127.0.0.1:" + rpc, "-t", "all", "-i")
                .contains("Percent Done: 100%"), 120);
        assertArrayEquals(content, Files.readAllBytes(downloads.resolve("vm-image.qcow2")), "Transmission");
    }

    /**
     * Message Stream Encryption with each reference client at its strictest: libtorrent forced both ways with an
     * RC4 payload, aria2c requiring encryption at the arc4 level, Transmission requiring encryption (the worker
     * dials it: Transmission ignores 127.x peers from a tracker). The worker runs at its default, prefer.
     */
    @Test
    void everyClientRequiringEncryptionDownloads() throws Exception {
        byte[] content = random(3 * 1024 * 1024 + 777, 9);
        JsonNode artifact = upload("encrypted.img", content, "v1");
        Path torrent = torrentFile(artifact);
        String worker = shoal.get("service.seeder-worker.url");
        double rc4Before = handshaken(worker, "rc4");

        Path lt = Files.createDirectories(dir.resolve("lt"));
        Process leecher = clients.libtorrent("libtorrent-forced", torrent.toString(), lt, "leech", 120,
                Map.of("LT_ENCRYPTION", "forced"));
        assertTrue(leecher.waitFor(150, TimeUnit.SECONDS) && leecher.exitValue() == 0, clients.logs());
        assertArrayEquals(content, Files.readAllBytes(lt.resolve("encrypted.img")), "libtorrent, encryption forced");

        Path aria2 = Files.createDirectories(dir.resolve("aria2"));
        clients.aria2c(torrent.toString(), aria2, "--bt-require-crypto=true", "--bt-min-crypto-level=arc4");
        assertArrayEquals(content, Files.readAllBytes(aria2.resolve("encrypted.img")), "aria2c, encryption required");

        Path downloads = Files.createDirectories(dir.resolve("transmission"));
        int rpc = transmissionDaemon(downloads, 2);
        clients.run("transmission-remote", "127.0.0.1:" + rpc, "-a", torrent.toString());
        clients.await("Transmission at 100%", () -> Clients.output("transmission-remote", "127.0.0.1:" + rpc, "-t", "all", "-i")
                .contains("Percent Done: 100%"), 120);
        assertArrayEquals(content, Files.readAllBytes(downloads.resolve("encrypted.img")), "Transmission, encryption required");
        assertTrue(handshaken(worker, "rc4") >= rc4Before + 3, "three RC4 connections at least: " + handshaken(worker, "rc4"));
    }

    /** shoal_seeder_connections_handshaken_total for one encryption method. */
    private static double handshaken(String worker, String method) throws Exception {
        return Clients.get(worker + "/q/metrics").lines()
                .filter(l -> l.startsWith("shoal_seeder_connections_handshaken_total{") && l.contains("encryption=\"" + method + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void aMagnetLinkAloneIsEnoughForLibtorrentAndAria2() throws Exception {
        byte[] content = random(3 * 1024 * 1024 + 99, 2);
        JsonNode artifact = upload("model.safetensors", content, "v1");
        String magnet = artifact.path("magnet").asText();
        assertTrue(magnet.startsWith("magnet:?xt=urn:btih:"), magnet);

        Path lt = Files.createDirectories(dir.resolve("lt"));
        Process leecher = clients.libtorrent("libtorrent-magnet", magnet, lt, "leech", 120);
        assertTrue(leecher.waitFor(150, TimeUnit.SECONDS) && leecher.exitValue() == 0, clients.logs());
        assertArrayEquals(content, Files.readAllBytes(lt.resolve("model.safetensors")), "libtorrent from the magnet link");

        Path aria2 = Files.createDirectories(dir.resolve("aria2"));
        clients.aria2c(magnet, aria2);
        assertArrayEquals(content, Files.readAllBytes(aria2.resolve("model.safetensors")), "aria2c from the magnet link");
    }

    @Test
    void aHybridTorrentIsOneSwarmUnderBothHashesAndAV2OnlyTorrentDownloads() throws Exception {
        byte[] hybrid = random(3 * 1024 * 1024 + 12345, 3);
        JsonNode artifact = upload("hybrid.bin", hybrid, "hybrid");
        String tracker = "&tr=" + java.net.URLEncoder.encode(shoal.get("tracker.announce.url"), StandardCharsets.UTF_8);
        Path byV1 = Files.createDirectories(dir.resolve("btih"));
        Path byV2 = Files.createDirectories(dir.resolve("btmh"));
        Process v1 = clients.libtorrent("lt-btih", "magnet:?xt=urn:btih:" + artifact.path("infoHash").asText() + tracker,
                byV1, "leech", 120);
        Process v2 = clients.libtorrent("lt-btmh", "magnet:?xt=urn:btmh:1220" + artifact.path("infoHashV2").asText() + tracker,
                byV2, "leech", 120);
        assertTrue(v1.waitFor(150, TimeUnit.SECONDS) && v1.exitValue() == 0, clients.logs());
        assertTrue(v2.waitFor(150, TimeUnit.SECONDS) && v2.exitValue() == 0, clients.logs());
        assertArrayEquals(hybrid, Files.readAllBytes(byV1.resolve("hybrid.bin")), "joined by the v1 hash");
        assertArrayEquals(hybrid, Files.readAllBytes(byV2.resolve("hybrid.bin")), "joined by the v2 hash (piece layers by BEP 52 hash requests)");

        byte[] content = random(2 * 1024 * 1024 + 50_000, 4); // the last piece is short: libtorrent asks for it padded
        JsonNode v2Only = upload("v2-only.bin", content, "v2");
        Path lt = Files.createDirectories(dir.resolve("v2"));
        Process leecher = clients.libtorrent("lt-v2", torrentFile(v2Only).toString(), lt, "leech", 120);
        assertTrue(leecher.waitFor(150, TimeUnit.SECONDS) && leecher.exitValue() == 0, clients.logs());
        assertArrayEquals(content, Files.readAllBytes(lt.resolve("v2-only.bin")), "a v2-only torrent");
    }

    @Test
    void hostileConnectionsAreClosedWhileADownloadGoesOn() throws Exception {
        byte[] content = random(6 * 1024 * 1024, 5);
        JsonNode artifact = upload("busy.bin", content, "v1");
        Path lt = Files.createDirectories(dir.resolve("lt"));
        Process leecher = clients.libtorrent("libtorrent", torrentFile(artifact).toString(), lt, "leech", 120);
        int port = Integer.parseInt(workerView(shoal.get("service.seeder-worker.url")).path("peerPort").asText());
        InfoHash hash = InfoHash.fromHex(artifact.path("infoHash").asText());

        assertClosed(port, "garbage instead of a handshake".getBytes(StandardCharsets.US_ASCII));
        assertClosed(port, handshake(InfoHash.fromHex("00".repeat(20))));
        byte[] absurdLength = ByteBuffer.allocate(72).put(handshake(hash)).putInt(0x7fffffff).array();
        assertClosed(port, absurdLength);
        byte[] outOfRange = ByteBuffer.allocate(68 + 17).put(handshake(hash))
                .putInt(13).put((byte) 6).putInt(9999).putInt(0).putInt(16384).array();
        assertClosed(port, outOfRange);
        byte[] oversized = ByteBuffer.allocate(68 + 17).put(handshake(hash))
                .putInt(13).put((byte) 6).putInt(0).putInt(0).putInt(1 << 20).array();
        assertClosed(port, oversized);
        assertClosed(port, new byte[] {19, 'B', 'i', 't'}); // never finishes its handshake: closed after 2 s

        try (Socket socket = new Socket("127.0.0.1", port)) { // a well-behaved peer is still answered
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(handshake(hash));
            byte[] answer = new DataInputStream(socket.getInputStream()).readNBytes(68);
            assertEquals(68, answer.length);
            assertArrayEquals(hash.bytes(), java.util.Arrays.copyOfRange(answer, 28, 48));
        }
        assertTrue(leecher.waitFor(150, TimeUnit.SECONDS) && leecher.exitValue() == 0, clients.logs());
        assertArrayEquals(content, Files.readAllBytes(lt.resolve("busy.bin")), "the download next to them completed");
    }

    /**
     * A worker stopped as Kubernetes and docker stop it (SIGTERM) tells the tracker it stopped, so no host is
     * handed its address afterwards (a killed one stays listed until the peer TTL), and leaves the consumer group,
     * so the other worker seeds its torrents without waiting out the session timeout.
     */
    @Test
    @Order(Integer.MAX_VALUE - 1)
    void aWorkerStoppedGracefullyLeavesTheSwarmAndHandsItsTorrentsOver() throws Exception {
        int httpPort = Ports.free();
        String workerB = "http://127.0.0.1:" + httpPort;
        Process b = startWorker(httpPort);
        String workerA = shoal.get("service.seeder-worker.url");
        String key = null;
        for (int i = 0; i < 12 && key == null; i++) { // each lands on one of the two workers' partitions
            String candidate = upload("handover-" + i + ".bin", random(64 * 1024, 100 + i), "v1").path("infoHash").asText();
            clients.await("a worker seeding handover-" + i, () -> seeds(workerA, candidate) || seeds(workerB, candidate), 60);
            key = seeds(workerB, candidate) ? candidate : null;
        }
        assertTrue(key != null, "none of 12 torrents went to the second worker");
        String hash = key;
        int portB = workerView(workerB).path("peerPort").asInt();
        clients.await("the tracker handing out the second worker", () -> announcedPorts(hash).contains(portB), 30);

        b.destroy(); // SIGTERM
        assertTrue(b.waitFor(45, TimeUnit.SECONDS), "the worker stops within its grace period");
        long stopped = System.nanoTime();
        assertTrue(!announcedPorts(hash).contains(portB), "a stopped worker is no longer handed out");
        clients.await("the stack's worker seeding the torrent", () -> seeds(workerA, hash), 30);
        long handover = Duration.ofNanos(System.nanoTime() - stopped).toMillis();
        assertTrue(handover < 10_000, "handed over in " + handover + " ms: not by waiting out the 10 s session timeout");
    }

    /** The peer ports the tracker hands a leecher of this torrent (compact, loopback). */
    private static List<Integer> announcedPorts(String infoHash) {
        byte[] answer = given().urlEncodingEnabled(false).get(shoal.get("tracker.announce.url") + "?info_hash="
                + PercentEncoding.encode(InfoHash.fromHex(infoHash).bytes()) + "&peer_id=-XX0001-handoverprob&port=1"
                + "&uploaded=0&downloaded=0&left=1&compact=1&numwant=50&event=started").asByteArray();
        try {
            return HttpTrackerResponses.parseAnnounce(answer).peers().stream().map(PeerAddress::port).toList();
        } catch (TrackerRequestException e) {
            throw new AssertionError("the tracker refused the probe: " + e.getMessage(), e);
        }
    }

    @Test
    @Order(Integer.MAX_VALUE) // it may kill the stack's worker, which the others use
    void aSecondWorkerTakesOverTheTorrentsOfAKilledOne() throws Exception {
        int httpPort = Ports.free();
        String workerB = "http://127.0.0.1:" + httpPort;
        Process b = startWorker(httpPort);
        String workerA = shoal.get("service.seeder-worker.url");

        byte[] content = random(40 * 1024 * 1024, 6);
        JsonNode artifact = upload("large.bin", content, "v1");
        String key = artifact.path("infoHash").asText();
        clients.await("one worker seeding the torrent", () -> seeds(workerA, key) != seeds(workerB, key), 60);
        String serving = seeds(workerA, key) ? workerA : workerB;
        String other = serving.equals(workerA) ? workerB : workerA;

        Path lt = Files.createDirectories(dir.resolve("lt"));
        Process leecher = clients.libtorrent("libtorrent", torrentFile(artifact).toString(), lt, "leech", 180);
        clients.await("a quarter served", () -> served(serving, key) > content.length / 4, 60);
        assertTrue(served(serving, key) < content.length, "killed mid-way");
        ProcessHandle worker = serving.equals(workerB) ? b.toHandle() : stackWorker();
        worker.destroyForcibly();
        worker.onExit().get(10, TimeUnit.SECONDS);

        clients.await("the other worker seeding it", () -> seeds(other, key), 60);
        assertTrue(leecher.waitFor(180, TimeUnit.SECONDS) && leecher.exitValue() == 0, clients.logs());
        assertArrayEquals(content, Files.readAllBytes(lt.resolve("large.bin")), "completed by the other worker");
        assertTrue(served(other, key) > 0, "the other worker served the rest");
    }

    @Test
    void theLedgerIsPublishedToKafkaAndAsMetrics() throws Exception {
        byte[] content = random(1024 * 1024 + 3, 7);
        JsonNode artifact = upload("ledger.bin", content, "v1");
        Path aria2 = Files.createDirectories(dir.resolve("aria2"));
        clients.aria2c(torrentFile(artifact).toString(), aria2);
        String key = artifact.path("infoHash").asText();

        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, shoal.get("kafka.bootstrap.servers"));
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "seeder-it-" + System.nanoTime());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        long served = 0;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(properties)) {
            consumer.subscribe(List.of(ShoalTopic.SEEDER_STATS.topicName()));
            long deadline = System.currentTimeMillis() + 60_000;
            while (served < content.length && System.currentTimeMillis() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    SeederStatsEvent stats = EventJson.read(record.value(), SeederStatsEvent.class);
                    for (SeederStatsEvent.TorrentStats torrent : stats.torrents()) {
                        if (torrent.infoHash().equals(key)) {
                            served = Math.max(served, torrent.bytesServed());
                            assertEquals(torrent.bytesServed(), torrent.ledger().stream()
                                    .mapToLong(SeederStatsEvent.PeerStats::bytesServed).sum(), "per peer adds up");
                        }
                    }
                }
            }
        }
        assertTrue(served >= content.length, "shoal.seeder.stats has the download: " + served);
        String metrics = Clients.get(shoal.get("service.seeder-worker.url") + "/q/metrics");
        assertTrue(metrics.contains("shoal_seeder_torrent_bytes_served_total{torrent=\"" + key + "\"}"), metrics);
        assertTrue(metrics.contains("shoal_seeder_bytes_served_total"), metrics);
    }

    // --- helpers -------------------------------------------------------------------------------------

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private JsonNode upload(String name, byte[] content, String format) throws IOException {
        Response response = given().header("Authorization", "Bearer " + shoal.get("api.token"))
                .queryParam("format", format).body(content)
                .put(shoal.get("gateway.url") + "/api/v1/artifacts/" + name);
        response.then().statusCode(201);
        return JSON.readTree(response.asString());
    }

    private Path torrentFile(JsonNode artifact) throws Exception {
        Path file = dir.resolve(artifact.path("name").asText() + ".torrent");
        byte[] torrent = Clients.HTTP.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(artifact.path("torrentUrl").asText()))
                .build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray()).body();
        Files.write(file, torrent);
        return file;
    }

    private static byte[] handshake(InfoHash hash) {
        ByteBuffer out = ByteBuffer.allocate(68).put((byte) 19).put("BitTorrent protocol".getBytes(StandardCharsets.US_ASCII))
                .put(new byte[8]).put(hash.bytes()).put("-XX0001-hostile-peer".getBytes(StandardCharsets.US_ASCII));
        return out.array();
    }

    /** Sends the bytes; the worker must close the connection (end of stream) within a few seconds. */
    private static void assertClosed(int port, byte[] bytes) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(8_000);
            OutputStream out = socket.getOutputStream();
            out.write(bytes);
            out.flush();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[65536];
            while (in.read(buffer) >= 0) {
                // the handshake, have-all and extension handshake may come before the close
            }
        } catch (java.net.SocketException e) {
            // reset by the worker: closed as well
        }
    }

    private static JsonNode workerView(String worker) {
        try {
            return JSON.readTree(Clients.get(worker + "/api/v1/torrents"));
        } catch (Exception e) {
            return JSON.createObjectNode();
        }
    }

    private static boolean seeds(String worker, String key) {
        for (JsonNode torrent : workerView(worker).path("torrents")) {
            if (torrent.path("infoHash").asText().equals(key)) {
                return true;
            }
        }
        return false;
    }

    private static long served(String worker, String key) {
        for (JsonNode torrent : workerView(worker).path("torrents")) {
            if (torrent.path("infoHash").asText().equals(key)) {
                return torrent.path("bytesServed").asLong();
            }
        }
        return 0;
    }

    /** A second worker in the same consumer group, on the stack's Kafka and store; ready when it returns. */
    private Process startWorker(int httpPort) throws Exception {
        return clients.service("worker-b", "seeder-worker", httpPort, Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", shoal.get("kafka.bootstrap.servers"),
                "SHOAL_OBJECT_STORE_ENDPOINT", shoal.get("s3.endpoint"),
                "SHOAL_OBJECT_STORE_ACCESS_KEY", shoal.get("s3.access-key"),
                "SHOAL_OBJECT_STORE_SECRET_KEY", shoal.get("s3.secret-key"),
                "SHOAL_OBJECT_STORE_BUCKET", shoal.get("s3.bucket"),
                "SHOAL_SEEDER_PEER_PORT", Integer.toString(Ports.free()),
                "SHOAL_SEEDER_ADVERTISED_HOST", "127.0.0.1",
                "SHOAL_SEEDER_UPLOAD_RATE_LIMIT", Integer.toString(RATE)));
    }

    /** The stack's own seeder-worker JVM (its command line names the stack's home). */
    private static ProcessHandle stackWorker() {
        String marker = "-Dshoal.home=" + shoal.home();
        return ProcessHandle.allProcesses().filter(p -> p.info().commandLine()
                        .map(c -> c.contains(marker) && c.contains("seeder-worker")).orElse(false))
                .findFirst().orElseThrow(() -> new AssertionError("the stack's seeder-worker is not running"));
    }

    /** transmission-daemon configured as CLIENTS.md says; returns its RPC port. */
    private int transmissionDaemon(Path downloads) throws Exception {
        return transmissionDaemon(downloads, 0);
    }

    /** @param encryption Transmission's setting: 0 plaintext preferred, 1 encryption preferred, 2 required */
    private int transmissionDaemon(Path downloads, int encryption) throws Exception {
        Path config = Files.createDirectories(dir.resolve("transmission-config"));
        int rpc = Ports.free();
        Files.writeString(config.resolve("settings.json"), """
                {"dht-enabled": false, "lpd-enabled": false, "pex-enabled": false, "utp-enabled": false,
                 "port-forwarding-enabled": false, "bind-address-ipv4": "127.0.0.1", "peer-port": %d,
                 "peer-port-random-on-start": false, "encryption": %d, "rpc-enabled": true,
                 "rpc-bind-address": "127.0.0.1", "rpc-port": %d, "rpc-authentication-required": false,
                 "rpc-whitelist": "127.0.0.1", "rpc-whitelist-enabled": true, "download-dir": "%s",
                 "incomplete-dir-enabled": false}
                """.formatted(Ports.free(), encryption, rpc, downloads));
        clients.start("transmission-daemon", "transmission-daemon", "-f", "-g", config.toString());
        clients.await("transmission-daemon answering", () -> Clients.output("transmission-remote", "127.0.0.1:" + rpc, "-l")
                .contains("Sum:"), 30);
        return rpc;
    }
}
