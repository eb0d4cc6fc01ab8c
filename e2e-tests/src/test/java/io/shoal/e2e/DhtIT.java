package io.shoal.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.shoal.bittorrent.bencode.BInteger;
import io.shoal.bittorrent.bencode.BList;
import io.shoal.bittorrent.bencode.BString;
import io.shoal.bittorrent.bencode.BValue;
import io.shoal.bittorrent.bencode.BencodeDecoder;
import io.shoal.bittorrent.bencode.BencodeLimits;
import io.shoal.infra.ControllableStack;
import io.shoal.infra.Ports;
import io.shoal.infra.ShoalService;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
 * Trackerless (BEP 5) with ordinary clients at the local stack: the worker announces what it seeds to the DHT, the
 * tracker's node answers get_peers from its swarms, and hosts that join through the nodes the gateway lists download
 * without any tracker: libtorrent with a .torrent stripped of its trackers and web seeds, aria2c with a magnet link
 * that carries no tr, and libtorrent again with the tracker service killed, joining through the worker's node.
 */
class DhtIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static ControllableStack stack;

    @TempDir
    Path dir;
    @RegisterExtension
    final Clients clients = new Clients(() -> dir);

    @BeforeAll
    static void start() throws Exception {
        stack = ControllableStack.startInTemporaryHome("shoal-dht-", Map.of());
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    private JsonNode upload(String name, byte[] content) throws Exception {
        HttpResponse<String> uploaded = Clients.HTTP.send(HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + "/api/v1/artifacts/"
                        + name + "?format=v1")).header("Authorization", "Bearer " + stack.apiToken())
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, uploaded.statusCode(), uploaded.body());
        return JSON.readTree(uploaded.body());
    }

    private static byte[] torrentFile(JsonNode artifact) throws Exception {
        return Clients.HTTP.send(HttpRequest.newBuilder(URI.create(artifact.path("torrentUrl").asText())).build(),
                HttpResponse.BodyHandlers.ofByteArray()).body();
    }

    private static double counted(ShoalService service, String name, String labels) {
        try {
            return Clients.metric(stack.managementUrl(service), name, labels);
        } catch (Exception e) {
            return 0;
        }
    }

    @Test
    void hostsDownloadThroughTheDhtWithoutATrackerAndWithTheTrackerDown() throws Exception {
        byte[] content = new byte[6 * 1024 * 1024 + 777];
        new Random(18).nextBytes(content);
        JsonNode artifact = upload("trackerless.img", content);
        String infoHash = artifact.path("infoHash").asText();

        // BEP 5 nodes in the .torrent, and the same list at the gateway
        byte[] torrent = torrentFile(artifact);
        List<BValue> nodes = ((BList) BencodeDecoder.decodeDict(torrent, BencodeLimits.DEFAULT).get("nodes").orElseThrow()).values();
        assertEquals(List.of(BList.of(BString.of("127.0.0.1"), BInteger.of(stack.trackerDhtPort())),
                BList.of(BString.of("127.0.0.1"), BInteger.of(stack.peerPort()))), nodes);
        JsonNode listed = JSON.readTree(Clients.get(stack.gatewayUrl() + "/api/v1/dht/nodes"));
        String bootstrap = listed.path("bootstrap").asText();
        assertEquals("127.0.0.1:" + stack.trackerDhtPort() + ",127.0.0.1:" + stack.peerPort(), bootstrap);

        // libtorrent, the .torrent without trackers or web seeds
        Path lt = Files.createDirectories(dir.resolve("lt"));
        Path trackerless = Files.write(dir.resolve("trackerless.img.torrent"), Clients.trackerless(torrent));
        Process leecher = clients.libtorrent("lt-trackerless", trackerless.toString(), lt, "leech", 120,
                Map.of("LT_DHT_BOOTSTRAP", bootstrap));
        assertTrue(leecher.waitFor(150, TimeUnit.SECONDS) && leecher.exitValue() == 0, clients.logs());
        assertArrayEquals(content, Files.readAllBytes(lt.resolve("trackerless.img")), "libtorrent");

        // the worker announced the torrent to the DHT (announce_peer sent and accepted), as its metrics say
        clients.await("the worker's announce_peer in its metrics", () -> counted(ShoalService.SEEDER_WORKER,
                "shoal_dht_queries_out_total", "method=\"announce_peer\"") > 0, 30);
        clients.await("announces stored at the tracker's node", () -> counted(ShoalService.TRACKER, "shoal_dht_stored_peers", "") > 0, 30);

        // aria2c, a magnet link with no tr: the metadata (BEP 9) and the bytes from the peer the DHT names
        Path aria2 = Files.createDirectories(dir.resolve("aria2"));
        clients.run(Duration.ofMinutes(3), "aria2c", "--dir=" + aria2, "--enable-dht=true", "--enable-dht6=false",
                "--dht-entry-point=127.0.0.1:" + stack.trackerDhtPort(), "--dht-listen-port=" + Ports.free(),
                "--dht-file-path=" + dir.resolve("aria2-dht.dat"), "--bt-enable-lpd=false", "--enable-peer-exchange=false",
                "--disable-ipv6=true", "--listen-port=" + Ports.free(), "--seed-time=0", "--file-allocation=none",
                "--summary-interval=0", "--bt-stop-timeout=120", "--follow-torrent=mem", "--bt-save-metadata=false",
                "magnet:?xt=urn:btih:" + infoHash);
        assertArrayEquals(content, Files.readAllBytes(aria2.resolve("trackerless.img")), "aria2c");

        // the tracker killed: a host joining through the worker's own node still finds it
        stack.kill(ShoalService.TRACKER);
        Path lt2 = Files.createDirectories(dir.resolve("lt-no-tracker"));
        Process orphan = clients.libtorrent("lt-tracker-down", "magnet:?xt=urn:btih:" + infoHash, lt2, "leech", 120,
                Map.of("LT_DHT_BOOTSTRAP", "127.0.0.1:" + stack.peerPort()));
        assertTrue(orphan.waitFor(150, TimeUnit.SECONDS) && orphan.exitValue() == 0, clients.logs());
        assertArrayEquals(content, Files.readAllBytes(lt2.resolve("trackerless.img")), "libtorrent, tracker down");
        stack.start(ShoalService.TRACKER);
    }
}
