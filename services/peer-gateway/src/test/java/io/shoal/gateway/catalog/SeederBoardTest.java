package io.shoal.gateway.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shoal.events.SeederStatsEvent;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SeederBoardTest {

    private static final String A = "a".repeat(40);
    private static final String B = "b".repeat(40);
    private final AtomicLong now = new AtomicLong(1_000_000_000_000L);
    private final SeederBoard board = new SeederBoard(now::get);

    private static SeederStatsEvent worker(String id, long served, long interval, String... keys) {
        return new SeederStatsEvent(id, "10.0.0.1:6881", 0, 10_000, 3, java.util.Arrays.stream(keys)
                .map(k -> new SeederStatsEvent.TorrentStats(k, "name-" + k.charAt(0), served, interval, 2, false, List.of())).toList(),
                new SeederStatsEvent.CacheStats(9, 1, 100, 200));
    }

    @Test
    void aTorrentsHistoryAddsWhatEveryWorkerServedInEachTenSecondStep() {
        board.seen(worker("w1", 1000, 1000, A));
        board.seen(worker("w2", 500, 500, A, B));
        now.addAndGet(25_000);
        board.seen(worker("w1", 4000, 3000, A));

        List<SeederBoard.Point> history = board.history(A);
        assertEquals(SeederBoard.BUCKETS, history.size());
        assertEquals(3000, history.get(SeederBoard.BUCKETS - 1).bytes(), "the current step");
        assertEquals(0, history.get(SeederBoard.BUCKETS - 2).bytes(), "a step nobody served in");
        assertEquals(1500, history.get(SeederBoard.BUCKETS - 3).bytes(), "both workers' bytes in one step");
        assertEquals(300.0, history.get(SeederBoard.BUCKETS - 1).bytesPerSecond());
        assertEquals(4500, board.bytesServed(A), "the last total each worker gave");
        assertEquals(List.of("w1", "w2"), board.seeding(A).stream().map(SeederBoard.Worker::seederId).toList());
        assertEquals(List.of("w2"), board.seeding(B).stream().map(SeederBoard.Worker::seederId).toList());
    }

    @Test
    void historyOlderThanAnHourIsGoneAndSilentWorkersAreForgotten() {
        board.seen(worker("w1", 1000, 1000, A));
        now.addAndGet(SeederBoard.BUCKET.toMillis() * SeederBoard.BUCKETS);
        assertTrue(board.history(A).stream().allMatch(p -> p.bytes() == 0), "an hour later");
        board.seen(worker("w2", 10, 10, A));
        assertEquals(10, board.history(A).getLast().bytes());
        assertEquals(List.of("w2"), board.workers().stream().map(SeederBoard.Worker::seederId).toList(),
                "w1 said nothing for longer than " + SeederBoard.FORGET_AFTER);
    }

    @Test
    void aForgedRecordNamesOnlySwarmKeysAndCannotGrowTheBoardWithoutBound() {
        board.seen(new SeederStatsEvent("x".repeat(10_000), "\u0007evil\n", 0, 0, -5, List.of(
                new SeederStatsEvent.TorrentStats("../../etc", "n", 10, 10, 1, false, List.of()),
                new SeederStatsEvent.TorrentStats(A.toUpperCase(), "n", 10, 10, 1, false, List.of()),
                new SeederStatsEvent.TorrentStats(A, "<script>", -1, -1, -1, false, List.of())), null));
        SeederBoard.Worker worker = board.workers().getFirst();
        assertEquals(SeederBoard.MAX_TEXT, worker.seederId().length());
        assertEquals("?evil?", worker.address());
        assertEquals(0, worker.connections());
        assertEquals(List.of(A), worker.torrents().stream().map(SeederBoard.Seeded::infoHash).toList());
        assertEquals(0, worker.bytesServed());
        for (int i = 0; i < SeederBoard.MAX_WORKERS + 10; i++) {
            board.seen(worker("w" + i, 1, 1, A));
        }
        assertEquals(SeederBoard.MAX_WORKERS, board.workers().size());
        for (int i = 0; i < SeederBoard.MAX_HISTORIES + 10; i++) {
            board.seen(worker("w1", 1, 1, String.format("%040x", i)));
        }
        assertEquals(0, board.history(String.format("%040x", 0)).getLast().bytes(), "the least recently served history went first");
        assertEquals(1, board.history(String.format("%040x", SeederBoard.MAX_HISTORIES + 9)).getLast().bytes());
    }
}
