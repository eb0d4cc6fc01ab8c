package io.shoal.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ShoalTopicTest {

    @Test
    void topicNamesAreTheDesignContract() {
        Map<String, Boolean> compactedByName = Arrays.stream(ShoalTopic.values())
                .collect(Collectors.toMap(ShoalTopic::topicName, ShoalTopic::compacted));
        assertEquals(Map.of(
                "shoal.artifacts.uploaded", false,
                "shoal.torrents", true,
                "shoal.tracker.announces", false,
                "shoal.tracker.hosts", false,
                "shoal.seeder.stats", false,
                "shoal.seeder.preheat", false), compactedByName);
    }

    @Test
    void topicNamesAreLegalKafkaNames() {
        for (ShoalTopic topic : ShoalTopic.values()) {
            assertTrue(topic.topicName().matches("[a-zA-Z0-9._-]{1,249}"), topic.topicName());
            assertTrue(topic.partitions() > 0, topic.topicName());
        }
    }
}
