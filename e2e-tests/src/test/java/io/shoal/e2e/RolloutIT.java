package io.shoal.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shoal.infra.ControllableStack;
import io.shoal.infra.RepoLayout;
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
 * by its client, and a history; {@code shoal rollout --watch} follows it to the end.
 */
class RolloutIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SIZE = 8 * 1024 * 1024;
    private static ControllableStack stack;

    @TempDir
    Path dir;
    @RegisterExtension
    final Clients clients = new Clients(() -> dir);

    @BeforeAll
    static void start() throws Exception {
        stack = ControllableStack.startInTemporaryHome("shoal-rollout-", Map.of("shoal.tracker.interval", "5s", "shoal.tracker.min-interval", "1s",
                "shoal.tracker.ledger.interval", "1s", "shoal.seeder.stats-interval", "2s",
                "shoal.metadata.rollout.sample-interval", "2s"));
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
                    + tail(stack.log(io.shoal.infra.ShoalService.METADATA)) + "\ntracker: " + tail(stack.log(io.shoal.infra.ShoalService.TRACKER)), e);
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

    /** shoal_gateway_download_bytes_total{route="web_seed"}. */
    private static long webSeedBytes() {
        try {
            return (long) Clients.get(stack.managementUrl(io.shoal.infra.ShoalService.PEER_GATEWAY) + "/q/metrics").lines()
                    .filter(l -> l.startsWith("shoal_gateway_download_bytes_total{") && l.contains("route=\"web_seed\""))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
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
