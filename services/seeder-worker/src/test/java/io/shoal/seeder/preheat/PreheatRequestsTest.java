package io.shoal.seeder.preheat;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shoal.events.EventJson;
import io.shoal.events.PreheatRequestedEvent;
import io.shoal.platform.RecentRecords;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** Forged and malformed records on shoal.seeder.preheat never reach the preheater. */
class PreheatRequestsTest {

    private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");

    @Test
    void onlyWellFormedRequestsNotDatedInTheFuturePassAndLongNamesAreCut() {
        List<PreheatRequestedEvent> passed = new ArrayList<>();
        Properties kafka = new Properties();
        kafka.put("bootstrap.servers", "127.0.0.1:1");
        RecentRecords<PreheatRequestedEvent> requests = PreheatRequests.follow(kafka, "test", Duration.ofHours(1), Clock.fixed(NOW, ZoneOffset.UTC), passed::add);
        String key = "ab".repeat(20);
        long at = NOW.toEpochMilli();
        List<byte[]> values = List.of(
                "not json".getBytes(StandardCharsets.UTF_8),
                "{\"swarmKey\": 42}".getBytes(StandardCharsets.UTF_8),
                EventJson.write(new PreheatRequestedEvent("../../etc/passwd", "x", at)),
                EventJson.write(new PreheatRequestedEvent(key.toUpperCase(), "x", at)),
                EventJson.write(new PreheatRequestedEvent(null, "x", at)),
                EventJson.write(new PreheatRequestedEvent(key, "x", 0)),
                EventJson.write(new PreheatRequestedEvent(key, "x", NOW.plus(Duration.ofHours(2)).toEpochMilli())),
                EventJson.write(new PreheatRequestedEvent(key, "n".repeat(10_000), at - 1_000)));
        long offset = 0;
        for (byte[] value : values) {
            requests.handle(new ConsumerRecord<>("shoal.seeder.preheat", 0, offset++, key, value));
        }
        requests.handle(new ConsumerRecord<>("shoal.seeder.preheat", 0, offset, key, null));
        assertEquals(List.of(new PreheatRequestedEvent(key, "n".repeat(255), at - 1_000)), passed);
    }
}
