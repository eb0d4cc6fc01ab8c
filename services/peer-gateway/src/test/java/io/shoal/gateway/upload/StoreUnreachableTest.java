package io.shoal.gateway.upload;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/** MinIO unreachable: the upload is a 503 with the reason, and nothing is handed to metadata. */
@QuarkusTest
@WithTestResource(FailingBackends.StoreDown.class)
class StoreUnreachableTest {

    @Test
    void anUploadIsRefusedWith503AndNothingIsPublished() {
        // One PUT of a single part, one that needs a multipart upload.
        for (int size : new int[] {1024 * 1024, 40 * 1024 * 1024}) {
            byte[] content = new byte[size];
            new Random(size).nextBytes(content);
            given().header("Authorization", "Bearer " + token()).body(content)
                    .put("/api/v1/artifacts/store-down-" + content.length + ".bin")
                    .then().statusCode(503)
                    .body("error", equalTo("Service Unavailable"))
                    .body("detail", containsString("object store"));
        }
        assertEquals(0, eventsOn("shoal.artifacts.uploaded"));
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(503).body(containsString("object-store"));
    }

    static String token() {
        return ConfigProvider.getConfig().getValue("shoal.gateway.api-token", String.class);
    }

    static long eventsOn(String topic) {
        Properties config = new Properties();
        config.put("bootstrap.servers", ConfigProvider.getConfig().getOptionalValue("shoal.test.real-kafka", String.class)
                .orElseGet(() -> ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class)));
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            var partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        }
    }
}
