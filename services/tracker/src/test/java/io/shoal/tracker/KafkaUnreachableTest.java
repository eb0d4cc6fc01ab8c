package io.shoal.tracker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.shoal.bittorrent.metainfo.InfoHash;
import io.shoal.bittorrent.metainfo.PeerId;
import io.shoal.bittorrent.tracker.AnnounceResponse;
import io.shoal.bittorrent.tracker.HttpTrackerResponses;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Announces never wait on Kafka: with no broker at all (an open tracker, so no catalog is needed) every
 * announce is answered at once, and the replica says it is not ready, since it cannot know the catalog.
 */
@QuarkusTest
@TestProfile(KafkaUnreachableTest.NoKafka.class)
class KafkaUnreachableTest {

    public static class NoKafka implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("kafka.bootstrap.servers", "127.0.0.1:1", "shoal.tracker.open", "true");
        }
    }

    @TestHTTPResource("/")
    URI base;

    @Test
    void announcesAreAnsweredWhileKafkaIsAwayAndTheReplicaIsNotReady() throws Exception {
        InfoHash hash = TrackerTestSupport.randomHash();
        for (int i = 0; i < 300; i++) { // past the producer's first 2 s wait for metadata, many times over
            AnnounceResponse response = HttpTrackerResponses.parseAnnounce(TrackerTestSupport.get(base,
                    "announce?" + TrackerTestSupport.query(hash, PeerId.random("-SH0100-"), 10_000 + i, 0, "")));
            assertEquals(i + 1, response.complete());
        }
        int ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.resolve("q/health/ready")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
        assertEquals(503, ready);
        String metrics = new String(TrackerTestSupport.get(base, "q/metrics"), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(metrics.contains("shoal_tracker_announces_total{protocol=\"http\"} 300.0"), "all 300 counted");
    }
}
