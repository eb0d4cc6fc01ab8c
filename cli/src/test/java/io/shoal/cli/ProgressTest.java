package io.shoal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final AtomicLong clock = new AtomicLong();

    private List<String> lines() {
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void offATerminalALineAtEachTenth() {
        Progress progress = new Progress("push a", 1000, 0, out, false, clock::get);
        for (int i = 0; i < 100; i++) {
            clock.addAndGet(10_000_000); // 10 ms a step: 10 bytes in 10 ms is 1,000 bytes a second
            progress.advance(10);
        }
        progress.finish();
        List<String> lines = lines();
        assertEquals(10, lines.size(), lines.toString());
        assertEquals("push a: 10% (100 B of 1000 B, 0.0 MB/s)", lines.getFirst());
        assertEquals("push a: 100% (1000 B of 1000 B, 0.0 MB/s)", lines.getLast());
    }

    @Test
    void aResumedTransferStartsAtWhatWasThereAndSaysOneHundredOnce() {
        Progress progress = new Progress("get a", 100 << 20, 95 << 20, out, false, clock::get);
        clock.addAndGet(1_000_000_000);
        progress.advance(5 << 20);
        progress.finish();
        assertEquals(List.of("get a: 100% (100.0 MiB of 100.0 MiB, 5.2 MB/s)"), lines(), "the rate counts this transfer only");
    }

    @Test
    void onATerminalOneLineRedrawnWithABarRateAndTimeLeft() {
        Progress progress = new Progress("get b", 10 << 20, 0, out, true, clock::get);
        clock.addAndGet(1_000_000_000);
        progress.advance(5 << 20);
        String line = progress.line(clock.get());
        assertEquals("get b  50% [============>           ] 5.0 MiB / 10.0 MiB  5.2 MB/s  ETA 0:01", line);
        progress.finish();
        assertTrue(bytes.toString(StandardCharsets.UTF_8).startsWith("\rget b  50%"), bytes.toString(StandardCharsets.UTF_8));
        assertTrue(bytes.toString(StandardCharsets.UTF_8).endsWith(System.lineSeparator()));
    }
}
