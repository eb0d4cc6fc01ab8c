package io.shoal.gateway.upload;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.Result;
import io.minio.messages.Item;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Kafka unreachable: the upload does not report success; it fails clearly and leaves nothing in the store. */
@QuarkusTest
@WithTestResource(FailingBackends.KafkaDown.class)
class KafkaUnreachableTest {

    @Inject
    MinioClient store;

    @Test
    void anUploadFailsWith503AndLeavesNothingStored() throws Exception {
        byte[] body = new byte[20 * 1024 * 1024 + 5];
        new Random(2).nextBytes(body);
        given().header("Authorization", "Bearer " + StoreUnreachableTest.token()).body(body)
                .put("/api/v1/artifacts/kafka-down.bin")
                .then().statusCode(503)
                .body("error", equalTo("Service Unavailable"))
                .body("detail", containsString("Kafka did not acknowledge"));
        assertEquals(List.of(), objects());
        given().get("/q/health/live").then().statusCode(200);
    }

    private List<String> objects() throws Exception {
        List<String> keys = new ArrayList<>();
        for (Result<Item> item : store.listObjects(ListObjectsArgs.builder().bucket("shoal").recursive(true).build())) {
            keys.add(item.get().objectName());
        }
        return keys;
    }
}
