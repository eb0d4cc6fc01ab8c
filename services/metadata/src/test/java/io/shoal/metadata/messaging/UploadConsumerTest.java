package io.shoal.metadata.messaging;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.shoal.events.ArtifactUploadedEvent;
import io.shoal.events.EventJson;
import io.shoal.events.UploadStatus;
import io.shoal.infra.BackingServicesTestResource;
import io.shoal.metadata.service.CatalogService;
import io.shoal.metadata.service.Uploads;
import io.shoal.objectstore.BlobStore;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/** Records on shoal.artifacts.uploaded that are not events: each is set aside, the consumer goes on. */
@QuarkusTest
@WithTestResource(BackingServicesTestResource.class)
class UploadConsumerTest {

    @Inject
    CatalogService catalog;
    @Inject
    BlobStore blobs;
    /** The management interface's URL already ends in its root path, /q. */
    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;
    @TestHTTPResource(value = "/health/live", management = true)
    URL live;

    @Test
    void unreadable_records_are_rejected_or_skipped_and_the_next_upload_is_published() throws Exception {
        double unreadableBefore = unreadable();
        UUID garbled = UUID.randomUUID();
        ArtifactUploadedEvent good = Uploads.upload(blobs, "after-garbage.bin", Uploads.content(40_000, 5), null, false);
        try (KafkaProducer<String, byte[]> producer = producer()) {
            String topic = "shoal.artifacts.uploaded";
            // One partition for all four (their keys differ): the good event waits behind the three bad ones.
            int partition = 0;
            producer.send(new ProducerRecord<>(topic, partition, garbled.toString(), "{\"artifactId\": [".getBytes(StandardCharsets.UTF_8))).get();
            producer.send(new ProducerRecord<>(topic, partition, "not-an-upload", new byte[] {0, 1, 2})).get();
            producer.send(new ProducerRecord<>(topic, partition, null, "null".getBytes(StandardCharsets.UTF_8))).get();
            producer.send(new ProducerRecord<>(topic, partition, good.artifactId(), EventJson.write(good))).get();
        }
        UploadStatus published = awaitDecided(Uploads.id(good));
        assertEquals(UploadStatus.Status.PUBLISHED, published.status(), published.toString());
        UploadStatus rejected = awaitDecided(garbled);
        assertEquals(UploadStatus.Status.REJECTED, rejected.status());
        assertEquals("the upload's event could not be read", rejected.reason());
        assertEquals(3.0, unreadable() - unreadableBefore, 0.0);
        given().get(live).then().statusCode(200);
    }

    private double unreadable() {
        return given().get(metrics).then().statusCode(200).extract().asString().lines()
                .filter(l -> l.startsWith("shoal_metadata_uploads_total{outcome=\"unreadable\"}"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private UploadStatus awaitDecided(UUID id) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        UploadStatus status = catalog.upload(id);
        while (status.status() == UploadStatus.Status.PENDING && System.nanoTime() < deadline) {
            Thread.sleep(100);
            status = catalog.upload(id);
        }
        return status;
    }

    private static KafkaProducer<String, byte[]> producer() {
        Properties config = new Properties();
        config.put("bootstrap.servers", ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }
}
