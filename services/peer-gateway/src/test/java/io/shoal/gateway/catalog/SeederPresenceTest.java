package io.shoal.gateway.catalog;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shoal.events.SeederStatsEvent;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SeederPresenceTest {

    private final AtomicLong now = new AtomicLong();
    private final SeederPresence presence = new SeederPresence(Duration.ofSeconds(30), now::get);

    private static SeederStatsEvent naming(String... keys) {
        return new SeederStatsEvent("worker", "10.0.0.1:6881", 0, 10_000, 0, Arrays.stream(keys)
                .map(k -> new SeederStatsEvent.TorrentStats(k, "x", 0, 0, 0, false, List.of())).toList(), null);
    }

    @Test
    void aTorrentIsSeededForTheTtlAfterAWorkerLastNamedIt() {
        String key = "a".repeat(40);
        assertFalse(presence.seeded(key));
        presence.seen(naming(key));
        now.addAndGet(Duration.ofSeconds(30).toNanos());
        assertTrue(presence.seeded(key));
        now.addAndGet(1);
        assertFalse(presence.seeded(key), "no worker named it for longer than the TTL");
        presence.seen(naming(key));
        assertTrue(presence.seeded(key));
    }

    @Test
    void workersAreAliveForTheTtlAfterAnyRecord() {
        assertFalse(presence.workersAlive(), "nothing heard yet");
        presence.seen(naming());
        assertTrue(presence.workersAlive(), "a worker that seeds nothing is still a worker");
        now.addAndGet(Duration.ofSeconds(31).toNanos());
        assertFalse(presence.workersAlive());
    }

    @Test
    void aForgedRecordNamesOnlySwarmKeysAndNoMoreThanTheCap() {
        presence.seen(naming("../etc", "A".repeat(40), "a".repeat(41), null));
        assertFalse(presence.seeded("A".repeat(40)));
        presence.seen(naming(IntStream.range(0, SeederPresence.MAX_TORRENTS + 10)
                .mapToObj(i -> String.format("%040x", i)).toArray(String[]::new)));
        assertTrue(presence.seeded(String.format("%040x", SeederPresence.MAX_TORRENTS - 1)));
        assertFalse(presence.seeded(String.format("%040x", SeederPresence.MAX_TORRENTS)), "beyond the cap: not remembered");
        now.addAndGet(Duration.ofSeconds(31).toNanos());
        presence.seen(naming("b".repeat(40)));
        assertTrue(presence.seeded("b".repeat(40)), "expired names make room");
    }
}
