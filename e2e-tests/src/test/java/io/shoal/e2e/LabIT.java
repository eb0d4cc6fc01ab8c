package io.shoal.e2e;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.restassured.response.Response;
import io.shoal.infra.RepoLayout;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The data center in a box (e2e-tests/lab): 6 hosts in 2 racks, each in a network namespace with its own
 * address and a 50 Mbit/s link, run Transmission, aria2c and libtorrent at their defaults (DHT, local discovery,
 * UPnP and NAT-PMP off) against a stack listening on the bridge's address, 10.77.0.1, with the tracker's
 * topology hint on. One 64 MiB artifact, uploaded through the gateway.
 */
class LabIT {

    private static final Path LAB = RepoLayout.find().root().resolve("e2e-tests/lab/lab.py");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String STACK = "10.77.0.1";

    @TempDir
    Path dir;

    /** The stack under test while it runs, so a failure shows its services' logs too. */
    private LocalShoal stack;

    @Test
    void sixHostsInTwoRacksWithMixedClientsAtTheirDefaultsAllGetTheArtifactAndFindTheirRackFirst() throws Exception {
        String why = labUnavailable();
        Assumptions.assumeTrue(why == null, "skipped: the lab cannot run here: " + why);
        try {
            lab(Limit.UP, "up", "--hosts", "6", "--racks", "2", "--rate", "50mbit");
            try (LocalShoal shoal = LocalShoal.up(Map.of("SHOAL_PUBLIC_ADDRESS", STACK,
                    "SHOAL_TRACKER_TOPOLOGY_ENABLED", "true"))) {
                stack = shoal;
                try {
                    pullAndCheck(shoal);
                    pullThroughTheDht(shoal);
                } catch (AssertionError e) {
                    throw new AssertionError(e.getMessage() + hostLogs(), e);
                }
            }
        } finally {
            stack = null;
            lab(Limit.UP, "down");
        }
    }

    /** Uploads the artifact, runs the swarm, checks what the issue asks of it. */
    private void pullAndCheck(LocalShoal shoal) throws Exception {
        assertEquals("http://" + STACK + ":" + URI.create(shoal.get("gateway.url")).getPort(), shoal.get("gateway.url"));
        byte[] content = new byte[64 << 20];
        new Random(17).nextBytes(content);
        JsonNode artifact = upload(shoal, "lab-image.raw", content);
        assertTrue(artifact.path("magnet").asText().contains("10.77.0.1"), artifact.toString());
        Path torrent = Files.write(dir.resolve("lab-image.raw.torrent"), torrentFile(artifact));
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        Path out = dir.resolve("swarm.json");

        String log = lab(Limit.SWARM, "swarm", "--torrent", torrent.toString(), "--sha256", sha256,
                "--timeout", "240", "--out", out.toString());
        JsonNode result = JSON.readTree(out.toFile());
        assertEquals(6, result.path("completed").asInt(), log);
        assertEquals(0, result.path("errors").size(), log);
        List<String> clients = StreamSupport.stream(result.path("per_host").spliterator(), false)
                .map(h -> h.path("client").asText()).distinct().sorted().toList();
        assertEquals(List.of("aria2", "libtorrent", "transmission"), clients, "a mixed fleet");

        JsonNode tracker = result.path("tracker");
        Set<String> seen = new TreeSet<>();
        tracker.path("swarm").forEach(p -> seen.add(p.asText().substring(0, p.asText().lastIndexOf(':'))));
        Set<String> hosts = StreamSupport.stream(result.path("per_host").spliterator(), false)
                .map(h -> h.path("address").asText()).collect(Collectors.toCollection(TreeSet::new));
        assertTrue(seen.containsAll(hosts), "the tracker holds every host at its own address: " + seen + "\n" + result.toPrettyString());
        assertEquals(0, tracker.path("duplicates").asInt(), "no endpoint twice in an answer: " + tracker);

        JsonNode near = tracker.path("rack_answer");
        assertEquals(2, near.size(), tracker.toString());
        near.forEach(p -> assertTrue(p.asText().startsWith("10.77.1."),
                "asked for as many peers as its rack holds, a rack-1 host gets its own rack: " + near));
        assertTrue(result.path("stack_copies").asDouble() < 6, "hosts fed each other: " + result);
    }

    /**
     * Trackerless: the same hosts with aria2c and libtorrent, their DHT on and joined through the nodes the gateway
     * lists (the tracker's and the worker's), pull a second artifact whose .torrent names no tracker and no web seed:
     * the hosts find the worker through the DHT (whether they also traded among themselves is not checked). Not
     * Transmission: in a DHT of 8 nodes it never became ready to search (it logs "DHT not ready" and falls back to its
     * public bootstrap name).
     */
    private void pullThroughTheDht(LocalShoal shoal) throws Exception {
        byte[] content = new byte[8 << 20];
        new Random(18).nextBytes(content);
        JsonNode artifact = upload(shoal, "lab-dht.raw", content);
        Path torrent = Files.write(dir.resolve("lab-dht.raw.torrent"), Clients.trackerless(torrentFile(artifact)));
        String bootstrap = JSON.readTree(Clients.get(shoal.get("gateway.url") + "/api/v1/dht/nodes")).path("bootstrap").asText();
        assertTrue(bootstrap.startsWith(STACK + ":"), bootstrap);
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        Path out = dir.resolve("swarm-dht.json");
        String log = lab(Limit.SWARM, "swarm", "--torrent", torrent.toString(), "--sha256", sha256, "--dht", bootstrap,
                "--clients", "aria2,libtorrent", "--timeout", "180", "--out", out.toString());
        JsonNode result = JSON.readTree(out.toFile());
        assertEquals(6, result.path("completed").asInt(), log);
        assertEquals(0, result.path("errors").size(), log);
        List<String> clients = StreamSupport.stream(result.path("per_host").spliterator(), false)
                .map(h -> h.path("client").asText()).distinct().sorted().toList();
        assertEquals(List.of("aria2", "libtorrent"), clients);
    }

    private static JsonNode upload(LocalShoal shoal, String name, byte[] content) throws IOException {
        Response response = given().header("Authorization", "Bearer " + shoal.get("api.token")).body(content)
                .put(shoal.get("gateway.url") + "/api/v1/artifacts/" + name);
        response.then().statusCode(201);
        return JSON.readTree(response.asString());
    }

    private static byte[] torrentFile(JsonNode artifact) throws IOException, InterruptedException {
        return Clients.HTTP.send(HttpRequest.newBuilder(URI.create(artifact.path("torrentUrl").asText())).build(),
                HttpResponse.BodyHandlers.ofByteArray()).body();
    }

    private enum Limit {
        UP(120), SWARM(300);

        final int seconds;

        Limit(int seconds) {
            this.seconds = seconds;
        }
    }

    /** Runs lab.py; fails with its output on a non-zero exit or past the time. */
    private String lab(Limit limit, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("/usr/bin/python3", LAB.toString()));
        command.addAll(List.of(args));
        Path log = Files.createTempFile(dir, "lab-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("SHOAL_LAB_DIR", dir.resolve("lab").toString());
        Process process = builder.start();
        if (!process.waitFor(limit.seconds, TimeUnit.SECONDS)) {
            process.destroy(); // lab.py stops the clients it started on SIGTERM
            process.waitFor(20, TimeUnit.SECONDS);
            throw new AssertionError("lab.py " + String.join(" ", args) + " did not finish in " + limit.seconds + " s:\n"
                    + Files.readString(log, StandardCharsets.UTF_8));
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), "lab.py " + String.join(" ", args) + ":\n" + output);
        return output;
    }

    /** The end of every host's client log, and of the stack's seeder and tracker logs. */
    private String hostLogs() throws IOException {
        StringBuilder out = new StringBuilder();
        if (stack != null) {
            for (String service : List.of("seeder-worker", "tracker")) {
                Path log = stack.log(service);
                if (Files.isRegularFile(log)) {
                    String text = Files.readString(log, StandardCharsets.UTF_8);
                    out.append("\n--- ").append(service).append(".log\n")
                            .append(text.length() > 4000 ? text.substring(text.length() - 4000) : text);
                }
            }
        }
        Path hosts = dir.resolve("lab");
        if (!Files.isDirectory(hosts)) {
            return out.toString();
        }
        try (var files = Files.walk(hosts, 2)) {
            for (Path log : files.filter(p -> p.toString().endsWith(".log")).sorted().toList()) {
                String text = Files.readString(log, StandardCharsets.UTF_8);
                out.append("\n--- ").append(hosts.relativize(log)).append('\n')
                        .append(text.length() > 2000 ? text.substring(text.length() - 2000) : text);
            }
        }
        return out.toString();
    }

    /** Null when this machine can make network namespaces, else why not (not root, no ip, no clients). */
    private static String labUnavailable() throws InterruptedException {
        try {
            Process id = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
            String uid = new String(id.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            id.waitFor();
            if (!"0".equals(uid)) {
                return "network namespaces need root (running as uid " + uid + ")";
            }
            Process probe = new ProcessBuilder("ip", "netns", "add", "shoal-lab-probe").redirectErrorStream(true).start();
            String said = new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (probe.waitFor() != 0) {
                return "ip netns add failed: " + said;
            }
            new ProcessBuilder("ip", "netns", "delete", "shoal-lab-probe").start().waitFor();
            return null;
        } catch (IOException e) {
            return e.getMessage();
        }
    }
}
