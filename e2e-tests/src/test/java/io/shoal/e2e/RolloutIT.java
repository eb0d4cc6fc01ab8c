package io.shoal.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shoal.infra.ControllableStack;
import io.shoal.infra.Ports;
import io.shoal.infra.RepoLayout;
import io.shoal.infra.ShoalService;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rollout view against the real stack: three python3-libtorrent hosts download an artifact; the tracker's host
 * reports (shoal.tracker.hosts) and the seeder-worker's stats reach metadata's fleet ledger, and the gateway's
 * {@code /rollout} says three hosts completed, what they downloaded, what the worker served and the offload, each host
 * by its client, and a history; {@code shoal rollout --watch} follows it to the end. The worker chokes by the ledger
 * policy, its upload capped so the hosts trade: its ledger shows what it saw them pass on and what they reported to
 * the tracker (shoal.tracker.hosts, followed by the worker), and the debt ratio it ranks them by. And a preheat, end
 * to end.
 */
class RolloutIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SIZE = 8 * 1024 * 1024;
    /** The worker's upload cap: the three hosts get a copy's worth in 2 s, and trade for the rest. */
    private static final int UPLOAD_CAP = 4 * 1024 * 1024;
    private static ControllableStack stack;

    @TempDir
    Path dir;
    @RegisterExtension
    final Clients clients = new Clients(() -> dir);

    @BeforeAll
    static void start() throws Exception {
        stack = ControllableStack.startInTemporaryHome("shoal-rollout-", Map.of("shoal.tracker.interval", "5s", "shoal.tracker.min-interval", "1s",
                "shoal.tracker.ledger.interval", "1s", "shoal.seeder.stats-interval", "2s",
                "shoal.metadata.rollout.sample-interval", "2s", "shoal.seeder.choking.policy", "ledger",
                "shoal.seeder.upload-rate-limit", Integer.toString(UPLOAD_CAP)));
    }

    @AfterAll
    static void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void threeHostsCompleteAndTheRolloutViewAndTheCliSaySo() throws Exception {
        byte[] content = new byte[SIZE];
        new Random(19).nextBytes(content);
        HttpResponse<String> uploaded = Clients.HTTP.send(HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + "/api/v1/artifacts/fleet.img"))
                .header("Authorization", "Bearer " + stack.apiToken()).PUT(HttpRequest.BodyPublishers.ofByteArray(content)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, uploaded.statusCode(), uploaded.body());
        JsonNode artifact = JSON.readTree(uploaded.body());
        Path torrent = dir.resolve("fleet.img.torrent");
        Files.write(torrent, Clients.HTTP.send(HttpRequest.newBuilder(URI.create(artifact.path("torrentUrl").asText())).build(),
                HttpResponse.BodyHandlers.ofByteArray()).body());
        JsonNode before = rollout(false);
        assertEquals(0, before.path("hostsCompleted").asInt());
        assertTrue(before.path("originOffload").isMissingNode(), "nothing delivered yet: " + before);

        List<Process> hosts = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            hosts.add(clients.libtorrent("host-" + i, torrent.toString(), Files.createDirectories(dir.resolve("host-" + i)), "leech", 120));
        }
        for (Process host : hosts) {
            assertTrue(host.waitFor(150, TimeUnit.SECONDS) && host.exitValue() == 0, clients.logs());
        }
        for (int i = 0; i < 3; i++) {
            assertTrue(java.util.Arrays.equals(content, Files.readAllBytes(dir.resolve("host-" + i).resolve("fleet.img"))));
        }

        java.util.concurrent.atomic.AtomicReference<JsonNode> last = new java.util.concurrent.atomic.AtomicReference<>();
        try {
            clients.await("three hosts completed and the worker's bytes counted", () -> {
                JsonNode r = rollout(false);
                last.set(r);
                return r.path("hostsCompleted").asInt() == 3 && r.path("bytesServedBySeeders").asLong() >= SIZE
                        && r.path("bytesDelivered").asLong() >= 3L * SIZE && r.path("history").size() >= 2;
            }, 60);
        } catch (AssertionError e) {
            throw new AssertionError("the rollout said " + last.get() + "\nthe web seed sent " + webSeedBytes() + " bytes\nmetadata: "
                    + tail(stack.log(ShoalService.METADATA)) + "\ntracker: " + tail(stack.log(ShoalService.TRACKER)), e);
        }
        JsonNode rollout = rollout(true);
        System.out.println("rollout of 3 libtorrent hosts: " + rollout + "\nthe web seed sent " + webSeedBytes() + " bytes");
        assertEquals(0, rollout.path("hostsInProgress").asInt());
        assertEquals(0, rollout.path("hostsStalled").asInt(), "hosts that completed and left are completed, not stalled");
        long delivered = rollout.path("bytesDelivered").asLong();
        long served = rollout.path("bytesServedBySeeders").asLong();
        assertTrue(served <= delivered, served + " served of " + delivered + " delivered");
        assertEquals(1 - (double) served / delivered, rollout.path("originOffload").asDouble(), 1e-9);
        assertEquals(3, rollout.path("hosts").size(), "the seeder-worker announces too, and is no host: " + rollout);
        for (JsonNode host : rollout.path("hosts")) {
            assertTrue(host.path("client").asText().startsWith("-LT"), host.toString());
            assertEquals(1.0, host.path("progress").asDouble());
            assertEquals("completed", host.path("state").asText());
            assertTrue(host.path("endpoint").asText().startsWith("127.0.0.1:"), host.toString());
        }

        assertTheLedgerSawTheHostsTrade();

        Path cli = RepoLayout.find().root().resolve("cli/target/shoal-cli.jar");
        Process watch = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-jar", cli.toString(), "rollout",
                "fleet.img", "--watch", "--hosts", "--gateway", stack.gatewayUrl()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("watch.log").toFile()).start();
        assertTrue(watch.waitFor(60, TimeUnit.SECONDS), "shoal rollout --watch ends once no host is in progress");
        String output = Files.readString(dir.resolve("watch.log"), StandardCharsets.UTF_8);
        System.out.println("shoal rollout fleet.img --watch --hosts:\n" + output);
        assertEquals(0, watch.exitValue(), output);
        assertTrue(output.contains("rollout fleet.img: 3/3 hosts completed, 0 in progress, 0 stalled;"), output);
        assertTrue(output.contains("hosts      3 completed, 0 in progress, 0 stalled"), output);
        assertEquals(3, output.lines().filter(l -> l.startsWith("127.0.0.1:") && l.contains("100%") && l.contains("completed")).count(),
                output);
    }

    /**
     * Preheat: asked while the seeder-worker is down and Kafka too (the 202 stands on what metadata recorded; its outbox
     * sends the request once Kafka is back), done by the worker when it is back; a host then downloads the artifact and
     * the worker reads nothing more from the store.
     */
    @Test
    void aPreheatAskedWhileTheWorkerAndKafkaAreDownIsDoneWhenTheyAreBackAndTheHostsThenReadNothingFromTheStore() throws Exception {
        byte[] content = new byte[2 * SIZE];
        new Random(20).nextBytes(content);
        HttpResponse<String> uploaded = Clients.HTTP.send(HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + "/api/v1/artifacts/warm.img"))
                .header("Authorization", "Bearer " + stack.apiToken()).PUT(HttpRequest.BodyPublishers.ofByteArray(content)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(201, uploaded.statusCode(), uploaded.body());
        Path torrent = dir.resolve("warm.img.torrent");
        Files.write(torrent, Clients.HTTP.send(HttpRequest.newBuilder(URI.create(JSON.readTree(uploaded.body()).path("torrentUrl").asText()))
                .build(), HttpResponse.BodyHandlers.ofByteArray()).body());

        stack.kill(ShoalService.SEEDER_WORKER);
        stack.stopKafka(); // the request must stand on what metadata recorded, and reach the worker once Kafka is back
        URI preheat = URI.create(stack.gatewayUrl() + "/api/v1/artifacts/warm.img/preheat");
        assertEquals(401, Clients.HTTP.send(HttpRequest.newBuilder(preheat).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode(), "a preheat needs the token");
        assertEquals(404, Clients.HTTP.send(HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + "/api/v1/artifacts/nothing.img/preheat"))
                .header("Authorization", "Bearer " + stack.apiToken()).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
        HttpResponse<String> accepted = Clients.HTTP.send(HttpRequest.newBuilder(preheat).header("Authorization", "Bearer " + stack.apiToken())
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(202, accepted.statusCode(), accepted.body());
        assertEquals("requested", JSON.readTree(accepted.body()).path("state").asText(), accepted.body());
        assertEquals(stack.gatewayUrl() + "/api/v1/artifacts/warm.img/rollout", accepted.headers().firstValue("Location").orElse(""));
        stack.startKafka();
        Thread.sleep(3_000);
        assertEquals("requested", preheatOf("warm.img").path("state").asText(), "no worker to do it yet");

        stack.start(ShoalService.SEEDER_WORKER);
        java.util.concurrent.atomic.AtomicReference<JsonNode> last = new java.util.concurrent.atomic.AtomicReference<>();
        try {
            clients.await("the restarted worker preheated warm.img", () -> {
                last.set(preheatOf("warm.img"));
                return "done".equals(last.get().path("state").asText());
            }, 90);
        } catch (AssertionError e) {
            throw new AssertionError("the preheat: " + last.get() + "\nseeder-worker: " + tail(stack.log(ShoalService.SEEDER_WORKER)), e);
        }
        JsonNode done = last.get();
        System.out.println("preheat of warm.img after the worker's restart: " + done);
        assertEquals(content.length, done.path("bytesWanted").asLong());
        assertEquals(content.length, done.path("bytesRead").asLong());
        assertEquals(0, done.path("piecesFailed").asInt());

        double storeRead = workerMetric("shoal_seeder_object_store_bytes_read_total");
        double served = workerMetric("shoal_seeder_bytes_served_total");
        assertTrue(storeRead >= content.length, "the preheat read the artifact from the store: " + storeRead);
        Process host = clients.libtorrent("warm-host", torrent.toString(), Files.createDirectories(dir.resolve("warm-host")), "leech", 120);
        assertTrue(host.waitFor(150, TimeUnit.SECONDS) && host.exitValue() == 0, clients.logs());
        assertTrue(java.util.Arrays.equals(content, Files.readAllBytes(dir.resolve("warm-host").resolve("warm.img"))));
        assertTrue(workerMetric("shoal_seeder_bytes_served_total") > served, "the host took pieces from the worker");
        assertEquals(storeRead, workerMetric("shoal_seeder_object_store_bytes_read_total"),
                "every piece the host took was in the cache already: nothing more read from the store");

        // the CLI asks again and waits: every piece is still in the cache, so it ends at once without reading the store
        Path cli = RepoLayout.find().root().resolve("cli/target/shoal-cli.jar");
        Process again = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-jar", cli.toString(), "preheat",
                "warm.img", "--wait", "--timeout", "60", "--gateway", stack.gatewayUrl(), "--token", stack.apiToken())
                .redirectErrorStream(true).redirectOutput(dir.resolve("preheat.log").toFile()).start();
        assertTrue(again.waitFor(90, TimeUnit.SECONDS), "shoal preheat --wait ends");
        String output = Files.readString(dir.resolve("preheat.log"), StandardCharsets.UTF_8);
        System.out.println("shoal preheat warm.img --wait:\n" + output);
        assertEquals(0, again.exitValue(), output);
        assertTrue(output.contains("preheat of warm.img: done, 16.0 MiB of 16.0 MiB in the cache"), output);
        assertEquals(storeRead, workerMetric("shoal_seeder_object_store_bytes_read_total"), "pieces in the cache are not read again");
    }

    /**
     * The worker's ledger of fleet.img: the three hosts, each with what it reported to the tracker (reached the worker
     * through Kafka), what the worker saw it pass on (HAVEs for pieces the others did not get from the worker), and
     * the debt ratio by the formula the README gives.
     */
    private void assertTheLedgerSawTheHostsTrade() throws Exception {
        String worker = stack.managementUrl(ShoalService.SEEDER_WORKER) + "/api/v1/torrents";
        String key = null;
        for (JsonNode seeded : JSON.readTree(Clients.get(worker)).path("torrents")) {
            if (seeded.path("name").asText().equals("fleet.img")) {
                key = seeded.path("infoHash").asText();
            }
        }
        assertTrue(key != null, "the worker seeds fleet.img");
        String url = worker + "/" + key + "/ledger";
        java.util.concurrent.atomic.AtomicReference<JsonNode> last = new java.util.concurrent.atomic.AtomicReference<>();
        try {
            clients.await("the hosts' reports to the tracker reached the worker's ledger", () -> {
                try {
                    last.set(JSON.readTree(Clients.get(url)));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                List<JsonNode> peers = new ArrayList<>();
                last.get().path("peers").forEach(peers::add);
                return peers.size() == 3 && peers.stream().allMatch(p -> p.path("reportedDownloaded").asLong() >= SIZE);
            }, 30);
        } catch (AssertionError e) {
            throw new AssertionError("the worker's ledger: " + last.get() + "\nseeder-worker: " + tail(stack.log(ShoalService.SEEDER_WORKER)), e);
        }
        JsonNode ledger = last.get();
        System.out.println("the worker's ledger of fleet.img: " + ledger);
        assertEquals("ledger", ledger.path("policy").asText());
        long passedOn = 0;
        long reportedUploaded = 0;
        for (JsonNode peer : ledger.path("peers")) {
            assertTrue(peer.path("peerId").asText().startsWith("2d4c54"), "libtorrent's -LT: " + peer);
            long served = peer.path("bytesServed").asLong();
            double share = Math.min(1.0, peer.path("reportedUploaded").asDouble() / peer.path("reportedDownloaded").asDouble());
            double given = Math.max(peer.path("bytesPassedOn").asLong(), (long) (served * share));
            assertEquals(served / (given + 1), peer.path("debtRatio").asDouble(), 1e-9, peer.toString());
            passedOn += peer.path("bytesPassedOn").asLong();
            reportedUploaded += peer.path("reportedUploaded").asLong();
        }
        assertTrue(reportedUploaded > 0, "with the worker capped the hosts traded, and said so to the tracker: " + ledger);
        assertTrue(passedOn > 0, "the worker saw pieces it served reach other hosts without it: " + ledger);
    }

    /**
     * BEP 38 and the content-keyed piece store: version 2 of a 3-file image set (one file changed) names version 1
     * under {@code similar}; a libtorrent host holding version 1 takes the two unchanged files from it and downloads
     * only the changed one, and the worker reads only the changed file from the store for version 2; a second host,
     * holding nothing, then downloads all of version 2 and the worker reads nothing from the store.
     */
    @Test
    void aHostHoldingVersionOneDownloadsOnlyTheChangedFileOfVersionTwoAndTheWorkerReadsOnlyThatFile() throws Exception {
        Random random = new Random(38);
        Map<String, byte[]> v1 = new java.util.LinkedHashMap<>();
        for (String[] file : new String[][] {{"a.img", "3"}, {"b.img", "2"}, {"c.img", "3"}}) {
            byte[] bytes = new byte[Integer.parseInt(file[1]) << 20];
            random.nextBytes(bytes);
            v1.put(file[0], bytes);
        }
        Map<String, byte[]> v2 = new java.util.LinkedHashMap<>(v1);
        byte[] changed = new byte[v1.get("b.img").length];
        random.nextBytes(changed);
        v2.put("b.img", changed);
        double readBefore = workerMetric("shoal_seeder_object_store_bytes_read_total");
        Path oneTorrent = uploadSet("imageset-1", v1);
        Path twoTorrent = uploadSet("imageset-2", v2);

        Path host = Files.createDirectories(dir.resolve("upgrade-host"));
        Process upgrade = clients.start("upgrade-host", "/usr/bin/python3", RepoLayout.find().root().resolve(
                "e2e-tests/src/test/resources/lt_upgrade.py").toString(), oneTorrent.toString(), twoTorrent.toString(), host.toString(),
                Integer.toString(Ports.free()), "120");
        assertTrue(upgrade.waitFor(150, TimeUnit.SECONDS) && upgrade.exitValue() == 0, clients.logs());
        for (Map.Entry<String, byte[]> file : v2.entrySet()) {
            assertTrue(java.util.Arrays.equals(file.getValue(), Files.readAllBytes(host.resolve("imageset-2").resolve(file.getKey()))),
                    file.getKey());
        }
        String log = Files.readString(dir.resolve("upgrade-host.log"), StandardCharsets.UTF_8);
        JsonNode result = JSON.readTree(log.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElseThrow(() -> new AssertionError(log)));
        System.out.println("a host holding imageset-1 took imageset-2: " + result);
        String oneSwarm = swarmKeyOf("imageset-1");
        assertEquals(List.of(oneSwarm), JSON.convertValue(result.path("similar"), List.class), "imageset-2 names imageset-1 (BEP 38)");
        long downloaded = result.path("downloaded").asLong();
        assertTrue(downloaded >= changed.length && downloaded < changed.length + 256 * 1024,
                "the changed file was downloaded (give or take a piece), not the 8 MiB of the set: " + result);
        long v1Bytes = v1.values().stream().mapToLong(b -> b.length).sum();
        assertEquals(v1Bytes + changed.length, workerMetric("shoal_seeder_object_store_bytes_read_total") - readBefore,
                "the worker read imageset-1 and, for imageset-2, the changed file only");

        double readAfterUpgrade = workerMetric("shoal_seeder_object_store_bytes_read_total");
        Process fresh = clients.libtorrent("fresh-host", twoTorrent.toString(), Files.createDirectories(dir.resolve("fresh-host")), "leech", 120);
        assertTrue(fresh.waitFor(150, TimeUnit.SECONDS) && fresh.exitValue() == 0, clients.logs());
        for (Map.Entry<String, byte[]> file : v2.entrySet()) {
            assertTrue(java.util.Arrays.equals(file.getValue(), Files.readAllBytes(dir.resolve("fresh-host").resolve("imageset-2")
                    .resolve(file.getKey()))), file.getKey());
        }
        assertEquals(readAfterUpgrade, workerMetric("shoal_seeder_object_store_bytes_read_total"),
                "all of imageset-2 was in the worker's cache: the files it shares with imageset-1 cached once for both");
    }

    /** Uploads a hybrid multi-file artifact (piece-aligned files) and saves its .torrent. */
    private Path uploadSet(String name, Map<String, byte[]> files) throws Exception {
        var request = io.restassured.RestAssured.given().header("Authorization", "Bearer " + stack.apiToken()).multiPart("name", name)
                .queryParam("format", "hybrid").queryParam("pieceLength", 256 * 1024);
        files.forEach((path, bytes) -> request.multiPart("file", path, bytes, "application/octet-stream"));
        io.restassured.response.Response created = request.post(stack.gatewayUrl() + "/api/v1/artifacts");
        assertEquals(201, created.statusCode(), created.asString());
        Path torrent = dir.resolve(name + ".torrent");
        Files.write(torrent, Clients.HTTP.send(HttpRequest.newBuilder(URI.create(JSON.readTree(created.asString()).path("torrentUrl").asText()))
                .build(), HttpResponse.BodyHandlers.ofByteArray()).body());
        return torrent;
    }

    private static String swarmKeyOf(String name) throws Exception {
        return JSON.readTree(Clients.get(stack.gatewayUrl() + "/api/v1/artifacts/" + name)).path("infoHash").asText();
    }

    private static JsonNode preheatOf(String name) {
        try {
            return JSON.readTree(Clients.get(stack.gatewayUrl() + "/api/v1/artifacts/" + name + "/rollout")).path("preheat");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static double workerMetric(String name) throws Exception {
        return Clients.metric(stack.managementUrl(ShoalService.SEEDER_WORKER), name, "");
    }

    /** shoal_gateway_download_bytes_total{route="web_seed"}. */
    private static long webSeedBytes() {
        try {
            return (long) Clients.metric(stack.managementUrl(ShoalService.PEER_GATEWAY),
                    "shoal_gateway_download_bytes_total", "route=\"web_seed\"");
        } catch (Exception e) {
            return -1;
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (Exception e) {
            return "(no log: " + e + ")";
        }
    }

    private static JsonNode rollout(boolean hosts) {
        try {
            return JSON.readTree(Clients.get(stack.gatewayUrl() + "/api/v1/artifacts/fleet.img/rollout?hosts=" + hosts));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
