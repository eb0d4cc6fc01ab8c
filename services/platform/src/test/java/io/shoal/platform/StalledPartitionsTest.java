package io.shoal.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.internals.AutoOffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class StalledPartitionsTest {

    private static final TopicPartition WAITING = new TopicPartition("shoal.torrents", 9);
    private static final TopicPartition READ = new TopicPartition("shoal.torrents", 5);

    @Test
    void a_partition_whose_position_stays_behind_its_end_for_an_interval_is_fetched_again() {
        MockConsumer<String, byte[]> consumer = new MockConsumer<>(AutoOffsetResetStrategy.EARLIEST.name());
        consumer.assign(List.of(WAITING, READ));
        consumer.updateBeginningOffsets(Map.of(WAITING, 0L, READ, 0L));
        consumer.updateEndOffsets(Map.of(WAITING, 1L, READ, 3L));
        consumer.seek(WAITING, 0);
        consumer.seek(READ, 3);
        StalledPartitions stalled = new StalledPartitions(Duration.ZERO);

        assertEquals(List.of(), stalled.check(consumer), "the first look only notes the positions");
        assertEquals(List.of(WAITING), stalled.check(consumer), "a record waits at 0 and the position stayed at 0");

        consumer.seek(WAITING, 1); // read at last
        consumer.updateEndOffsets(Map.of(READ, 5L));
        consumer.seek(READ, 4); // moving: not stalled, although behind
        assertEquals(List.of(), stalled.check(consumer));
        assertEquals(List.of(READ), stalled.check(consumer), "stuck at 4 of 5 since the last look");
    }
}
