package io.shoal.seeder.swarm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shoal.bittorrent.metainfo.TorrentFormat;
import io.shoal.events.EventJson;
import io.shoal.events.HostReportsEvent.HostReport;
import io.shoal.events.HostReportsEvent;
import io.shoal.platform.RecentRecords;
import io.shoal.seeder.choke.Choker;
import io.shoal.seeder.choke.LedgerFirst;
import io.shoal.seeder.torrent.TestTorrents;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** The hosts' reports on shoal.tracker.hosts reach the accounts (by endpoint) of the swarm they name; forged ones reach nothing. */
class HostReportsTest {

    private static final Instant NOW = Instant.parse("2026-12-03T10:00:00Z");

    @Test
    void wellFormedReportsReachTheirAccountsAndMalformedOnesAreSkipped() throws Exception {
        Swarm swarm = new Swarm(TestTorrents.make(TorrentFormat.V1, 16 * 1024, 1, 40_000).torrent(),
                new Choker(new LedgerFirst(), 4, 3, new Random(1)), false, new Random(1));
        String key = swarm.torrent().key();
        Properties kafka = new Properties();
        kafka.put("bootstrap.servers", "127.0.0.1:1");
        RecentRecords<HostReportsEvent> reports = HostReports.follow(kafka, "test", Duration.ofHours(1), Clock.fixed(NOW, ZoneOffset.UTC),
                k -> k.equals(key) ? Optional.of(swarm) : Optional.empty());
        String good = "2d4c54323038302d" + "ab".repeat(12);
        String other = "cd".repeat(20);
        PeerLedger account = swarm.account(good, "10.0.0.1:50001");
        swarm.listensAt(account, new java.net.InetSocketAddress("10.0.0.1", 1));
        PeerLedger forged = swarm.account(other, "10.0.0.2:50002");
        swarm.listensAt(forged, new java.net.InetSocketAddress("10.0.0.2", 1));
        long at = NOW.toEpochMilli();
        List<byte[]> values = List.of(
                "not json".getBytes(StandardCharsets.UTF_8),
                "{\"swarmKey\": [1]}".getBytes(StandardCharsets.UTF_8),
                EventJson.write(new HostReportsEvent("r", "../etc", at, List.of(new HostReport("10.0.0.2:1", other, 9, 9, 0, "", at)))),
                EventJson.write(new HostReportsEvent("r", "ef".repeat(20), at, List.of(new HostReport("10.0.0.2:1", other, 9, 9, 0, "", at)))),
                EventJson.write(new HostReportsEvent("r", key, at, List.of(
                        new HostReport("10.0.0.2:1", other, -5, 9, 0, "", at),
                        new HostReport(null, other, 9, 9, 0, "", at),
                        new HostReport("10.0.0.2:1" + " ".repeat(100), other, 9, 9, 0, "", at),
                        new HostReport("10.0.0.2:1", other, 9, 9, 0, "", NOW.plus(Duration.ofHours(1)).toEpochMilli()),
                        new HostReport("10.0.0.1:1", good, 700, 1000, 0, "completed", at - 1000)))));
        long offset = 0;
        for (byte[] value : values) {
            reports.handle(new ConsumerRecord<>("shoal.tracker.hosts", 0, offset++, key, value));
        }
        reports.handle(new ConsumerRecord<>("shoal.tracker.hosts", 0, offset, key, null));
        assertEquals(700, account.reportedUploaded());
        assertEquals(1000, account.reportedDownloaded());
        assertEquals(0, forged.reportedUploaded());
        assertEquals(0, forged.reportedDownloaded());
    }
}
