package io.shoal.gateway.upload;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.shoal.objectstore.BlobStore;
import io.shoal.objectstore.ObjectKeys;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Kafka unreachable: the gateway cannot know whether the event reached the log (an acknowledgement that times
 * out may follow a write that landed), so the upload is a 503 that says so, and its objects stay for metadata to
 * use or the janitor to reclaim. Deleting them here is how a published torrent came to point at nothing.
 */
@QuarkusTest
@WithTestResource(FailingBackends.KafkaDown.class)
class KafkaUnreachableTest {

    @Inject
    BlobStore store;

    @Test
    void an_unacknowledged_event_is_a_503_and_keeps_the_objects_it_may_reference() throws Exception {
        byte[] body = new byte[20 * 1024 * 1024 + 5];
        new Random(2).nextBytes(body);
        given().header("Authorization", "Bearer " + StoreUnreachableTest.token()).body(body)
                .put("/api/v1/artifacts/kafka-down.bin")
                .then().statusCode(503)
                .body("error", equalTo("Service Unavailable"))
                .body("detail", containsString("Kafka did not confirm"))
                .body("detail", containsString("may still be published"));

        List<String> keys = objects();
        Set<UUID> owners = new HashSet<>();
        keys.forEach(key -> owners.add(ObjectKeys.owner(key).orElseThrow()));
        assertEquals(1, owners.size(), "objects of one upload: " + keys);
        UUID artifact = owners.iterator().next();
        assertEquals(Set.of(ObjectKeys.content(artifact, 0), ObjectKeys.pieceHashes(artifact)), Set.copyOf(keys));
        assertEquals(body.length, store.size(ObjectKeys.content(artifact, 0)).orElseThrow());
        assertEquals(0, StoreUnreachableTest.eventsOn("shoal.artifacts.uploaded"));
        given().get("/q/health/live").then().statusCode(200);
    }

    private List<String> objects() throws Exception {
        List<String> keys = new ArrayList<>();
        for (String prefix : ObjectKeys.prefixes()) {
            store.list(prefix, blob -> keys.add(blob.key()));
        }
        return keys;
    }
}
