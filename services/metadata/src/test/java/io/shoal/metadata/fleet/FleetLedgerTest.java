package io.shoal.metadata.fleet;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.shoal.events.ArtifactUploadedEvent;
import io.shoal.events.CatalogEntry;
import io.shoal.events.HostReportsEvent;
import io.shoal.events.Rollout;
import io.shoal.events.SeederStatsEvent;
import io.shoal.infra.BackingServicesTestResource;
import io.shoal.metadata.service.CatalogService;
import io.shoal.metadata.service.UploadService;
import io.shoal.metadata.service.Uploads;
import io.shoal.objectstore.BlobStore;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The fleet ledger on the real PostgreSQL with artifacts published through the real upload path. */
@QuarkusTest
@WithTestResource(BackingServicesTestResource.class)
class FleetLedgerTest {

    private static final int SIZE = 40_000;
    private static final String SEEDER = HexFormat.of().formatHex("-SH0010-abcdefghijkl".getBytes(StandardCharsets.US_ASCII));

    @Inject
    FleetLedger ledger;
    @Inject
    UploadService uploads;
    @Inject
    CatalogService catalog;
    @Inject
    BlobStore blobs;

    private CatalogEntry publish(String name) throws Exception {
        ArtifactUploadedEvent event = Uploads.upload(blobs, name, Uploads.content(SIZE, name.hashCode()), null, false);
        assertEquals(UploadService.Result.PUBLISHED, uploads.process(Uploads.id(event), event));
        return catalog.published(name).orElseThrow();
    }

    private static String peer(String client, int n) {
        return HexFormat.of().formatHex((client + String.format("%012d", n)).getBytes(StandardCharsets.US_ASCII));
    }

    private static HostReportsEvent.HostReport host(int n, String peerId, long up, long down, long left, String event, Instant at) {
        return new HostReportsEvent.HostReport("10.0.0." + n + ":6881", peerId, up, down, left, event, at.toEpochMilli());
    }

    private static HostReportsEvent reports(String swarm, HostReportsEvent.HostReport... hosts) {
        return new HostReportsEvent("replica", swarm, 0, List.of(hosts));
    }

    @Test
    void hostsAreCompletedInProgressOrStalledAndTheOffloadIsWhatTheSeedersDidNotServe() throws Exception {
        CatalogEntry entry = publish("fleet-states.img");
        String swarm = entry.infoHash();
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant now = t0.plus(Duration.ofMinutes(9));
        String lt = "-LT2090-";
        ledger.record(reports(swarm,
                host(1, peer(lt, 1), 0, 0, SIZE, "started", t0),
                host(2, peer(lt, 2), 0, 10_000, 30_000, "", t0),
                host(3, peer(lt, 3), 0, 5_000, 35_000, "stopped", t0.plusSeconds(60)),
                host(4, peer(lt, 4), 0, 0, SIZE, "started", t0),
                host(9, SEEDER, 90_000, 0, 0, "started", t0)), now);
        ledger.record(reports(swarm,
                host(1, peer(lt, 1), 7_000, SIZE, 0, "completed", t0.plusSeconds(120)),
                host(4, peer(lt, 4), 0, 20_000, 20_000, "", now.minusSeconds(30))), now);
        ledger.record(new SeederStatsEvent(SEEDER, "10.0.0.9:6881", 0, 10_000, 3, List.of(
                new SeederStatsEvent.TorrentStats(swarm, "fleet-states.img", 30_000, 30_000, 3, false, List.of())), null), now);
        // host 2 showed no progress for 9 minutes: in progress until stalled-after (11 min in tests too)
        Rollout rollout = ledger.rollout("fleet-states.img", swarm, SIZE, true, now);
        assertEquals(List.of(1, 2, 1), List.of(rollout.hostsCompleted(), rollout.hostsInProgress(), rollout.hostsStalled()),
                "host 1 completed; 2 and 4 in progress; 3 stopped before the end; the seeder-worker is no host");
        assertEquals(SIZE + 10_000 + 5_000 + 20_000, rollout.bytesDelivered());
        assertEquals(7_000, rollout.bytesUploadedByHosts());
        assertEquals(30_000, rollout.bytesServedBySeeders());
        assertEquals(1 - 30_000.0 / 75_000, rollout.originOffload(), 1e-9);
        Map<String, Rollout.Host> hosts = rollout.hosts().stream().collect(Collectors.toMap(Rollout.Host::endpoint, Function.identity()));
        assertEquals(4, hosts.size());
        assertEquals(new Rollout.Host("10.0.0.1:6881", "-LT2090-", 1.0, "completed", 7_000, SIZE, t0, t0.plusSeconds(120)),
                hosts.get("10.0.0.1:6881"));
        assertEquals(0.5, hosts.get("10.0.0.4:6881").progress());
        assertEquals("stalled", hosts.get("10.0.0.3:6881").state());

        Rollout later = ledger.rollout("fleet-states.img", swarm, SIZE, false, t0.plus(Duration.ofMinutes(12)));
        assertEquals(List.of(1, 1, 2), List.of(later.hostsCompleted(), later.hostsInProgress(), later.hostsStalled()),
                "host 2: no progress for longer than 11 minutes");
        assertNull(later.hosts());
    }

    @Test
    void aRestartedClientCountsFromZeroAgainAndItsEarlierBytesStay() throws Exception {
        CatalogEntry entry = publish("fleet-restart.img");
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        ledger.record(reports(entry.infoHash(), host(1, peer("-TR3000-", 1), 100, 25_000, 15_000, "", t0)), t0);
        ledger.record(reports(entry.infoHash(), host(1, peer("-TR3000-", 2), 5, 15_000, 0, "completed", t0.plusSeconds(30))), t0);
        // a late, older report from another replica changes nothing
        ledger.record(reports(entry.infoHash(), host(1, peer("-TR3000-", 1), 100, 20_000, 20_000, "", t0.plusSeconds(10))), t0);
        Rollout rollout = ledger.rollout("fleet-restart.img", entry.infoHash(), SIZE, true, t0.plusSeconds(30));
        assertEquals(40_000, rollout.bytesDelivered());
        assertEquals(105, rollout.bytesUploadedByHosts());
        assertEquals(1, rollout.hostsCompleted());
        assertEquals(1.0, rollout.originOffload());
        assertEquals("-TR3000-", rollout.hosts().getFirst().client());
    }

    @Test
    void forgedReportsWriteNothing() throws Exception {
        CatalogEntry entry = publish("fleet-forged.img");
        Instant now = Instant.now();
        String swarm = entry.infoHash();
        assertEquals(0, ledger.record(reports("f".repeat(40), host(1, peer("-LT2090-", 1), 0, 0, 0, "", now)), now),
                "a swarm Shoal did not publish");
        assertEquals(0, ledger.record(reports("../x", host(1, peer("-LT2090-", 1), 0, 0, 0, "", now)), now));
        assertEquals(0, ledger.record(reports(swarm,
                new HostReportsEvent.HostReport("<script>:1", peer("-LT2090-", 1), 0, 0, 0, "", now.toEpochMilli()),
                new HostReportsEvent.HostReport("10.0.0.1:1", "zz", 0, 0, 0, "", now.toEpochMilli()),
                new HostReportsEvent.HostReport("10.0.0.1:1", peer("-LT2090-", 1), -1, 0, 0, "", now.toEpochMilli()),
                new HostReportsEvent.HostReport("10.0.0.1:1", peer("-LT2090-", 1), 0, 0, 0, "drop table", now.toEpochMilli()),
                new HostReportsEvent.HostReport("10.0.0.1:1", peer("-LT2090-", 1), 0, 0, 0, "", now.plus(Duration.ofDays(3)).toEpochMilli()),
                new HostReportsEvent.HostReport(null, null, 0, 0, 0, null, 0)), now));
        ledger.record(new SeederStatsEvent("not-hex", "x", 0, 0, 0, List.of(
                new SeederStatsEvent.TorrentStats(swarm, "x", 1, 1, 1, false, List.of())), null), now);
        ledger.record(new SeederStatsEvent(SEEDER, "x", 0, 0, 0, List.of(
                new SeederStatsEvent.TorrentStats("e".repeat(40), "x", 1, 1, 1, false, List.of())), null), now);
        Rollout rollout = ledger.rollout("fleet-forged.img", swarm, SIZE, true, now);
        assertEquals(List.of(), rollout.hosts());
        assertEquals(0, rollout.bytesServedBySeeders());
        assertNull(rollout.originOffload());
    }

    @Test
    void samplesMakeTheHistoryAndAreThinnedAfterADay() throws Exception {
        CatalogEntry entry = publish("fleet-history.img");
        Instant now = Instant.now().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofMinutes(30));
        ledger.record(reports(entry.infoHash(), host(1, peer("-LT2090-", 1), 0, 1_000, SIZE - 1_000, "", now.minusSeconds(5))), now);
        ledger.sample(now.minus(Duration.ofMinutes(1)), now);
        ledger.sample(now, now);
        ledger.sample(now, now);
        List<Rollout.Sample> history = ledger.rollout("fleet-history.img", entry.infoHash(), SIZE, false, now).history();
        assertEquals(2, history.size(), "one sample per instant, whoever takes it");
        assertEquals(new Rollout.Sample(now, 0, 1, 0, 1_000, 0), history.get(1));

        // a day and a half later: the samples inside the hour boundary go, and the silent host is still within retention
        ledger.record(reports(entry.infoHash(), host(1, peer("-LT2090-", 1), 0, 2_000, SIZE - 2_000, "",
                now.plus(Duration.ofHours(36)).minusSeconds(5))), now.plus(Duration.ofHours(36)));
        ledger.sample(now.plus(Duration.ofHours(36)), now.plus(Duration.ofHours(36)));
        history = ledger.rollout("fleet-history.img", entry.infoHash(), SIZE, false, now.plus(Duration.ofHours(36))).history();
        assertEquals(List.of(now.plus(Duration.ofHours(36))), history.stream().map(Rollout.Sample::at).toList(),
                "the two samples of a day ago were not on the hour");
        assertTrue(ledger.sample(now.plus(Duration.ofDays(8)), now.plus(Duration.ofDays(8))) == 0, "nobody announced within the hour before: nothing to sample");
    }

    @Test
    void theInternalApiServesTheRolloutWithHostsOnRequest() throws Exception {
        CatalogEntry entry = publish("fleet-api.img");
        Instant now = Instant.now();
        ledger.record(reports(entry.infoHash(), host(7, peer("-qB4500-", 7), 0, SIZE, 0, "completed", now)), now);
        String token = "Bearer test-internal-token-for-metadata";
        given().header("Authorization", token).get("/internal/v1/artifacts/fleet-api.img/rollout").then().statusCode(200)
                .body("hostsCompleted", equalTo(1)).body("bytesDelivered", equalTo(SIZE)).body("hosts", equalTo(null));
        given().header("Authorization", token).queryParam("hosts", true).get("/internal/v1/artifacts/fleet-api.img/rollout")
                .then().statusCode(200).body("hosts", hasSize(1)).body("hosts[0].client", equalTo("-qB4500-"))
                .body("hosts[0].state", equalTo("completed"));
        given().header("Authorization", token).get("/internal/v1/artifacts/" + UUID.randomUUID() + "/rollout").then().statusCode(404);
        given().get("/internal/v1/artifacts/fleet-api.img/rollout").then().statusCode(401);
    }

    @Test
    void aPreheatIsRecordedSentToTheWorkersAndFollowedByTheReportOfTheWorkerSeedingIt() throws Exception {
        CatalogEntry entry = publish("fleet-preheat.img");
        String swarm = entry.infoHash();
        String token = "Bearer test-internal-token-for-metadata";
        Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        given().header("Authorization", token).post("/internal/v1/artifacts/fleet-preheat.img/preheat").then().statusCode(202)
                .body("state", equalTo("requested")).body("seeder", equalTo(null));
        Rollout.Preheat requested = ledger.rollout("fleet-preheat.img", swarm, SIZE, false, Instant.now()).preheat();
        assertEquals(Rollout.Preheat.REQUESTED, requested.state());
        assertTrue(!requested.requestedAt().isBefore(before), requested.toString());
        long at = requested.requestedAt().toEpochMilli();

        // the request reached shoal.seeder.preheat (acks=all) under the swarm's key
        java.util.Properties props = new java.util.Properties();
        props.put("bootstrap.servers", org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        try (var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<String, io.shoal.events.PreheatRequestedEvent>(props,
                new org.apache.kafka.common.serialization.StringDeserializer(), new io.shoal.events.EventJson.PreheatRequestedDeserializer())) {
            List<org.apache.kafka.common.TopicPartition> partitions = consumer.partitionsFor("shoal.seeder.preheat").stream()
                    .map(p -> new org.apache.kafka.common.TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<io.shoal.events.PreheatRequestedEvent> sent = new java.util.ArrayList<>();
            long deadline = System.currentTimeMillis() + 10_000;
            while (sent.stream().noneMatch(e -> e.requestedAtMillis() == at) && System.currentTimeMillis() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (swarm.equals(r.key())) {
                        sent.add(r.value());
                    }
                });
            }
            assertTrue(sent.contains(new io.shoal.events.PreheatRequestedEvent(swarm, "fleet-preheat.img", at)), sent.toString());
        }

        Instant now = Instant.now();
        ledger.record(new SeederStatsEvent(SEEDER, "x", 0, 0, 0, List.of(new SeederStatsEvent.TorrentStats(swarm, "x", 0, 0, 0, false,
                List.of(), 16_384, new SeederStatsEvent.PreheatStats(at, 0, SIZE, 16_384, 0, true))), null), now);
        Rollout.Preheat running = ledger.rollout("fleet-preheat.img", swarm, SIZE, false, now).preheat();
        assertEquals(new Rollout.Preheat(requested.requestedAt(), Rollout.Preheat.RUNNING, SIZE, 16_384, 0, SEEDER,
                running.reportedAt(), null), running);

        // reports on another request (an older one, a forged one) change nothing
        ledger.record(new SeederStatsEvent(SEEDER, "x", 0, 0, 0, List.of(new SeederStatsEvent.TorrentStats(swarm, "x", 0, 0, 0, false,
                List.of(), 0, new SeederStatsEvent.PreheatStats(at - 1, at, SIZE, SIZE, 3, true))), null), now.plusSeconds(1));
        ledger.record(new SeederStatsEvent(SEEDER, "x", 0, 0, 0, List.of(new SeederStatsEvent.TorrentStats("e".repeat(40), "x", 0, 0, 0,
                false, List.of(), 0, new SeederStatsEvent.PreheatStats(at, at, SIZE, SIZE, 0, true))), null), now.plusSeconds(1));
        assertEquals(running, ledger.rollout("fleet-preheat.img", swarm, SIZE, false, now).preheat());
        assertNull(ledger.rollout("fleet-forged.img", "e".repeat(40), SIZE, false, now).preheat(), "no preheat made up");

        ledger.record(new SeederStatsEvent(SEEDER, "x", 0, 0, 0, List.of(new SeederStatsEvent.TorrentStats(swarm, "x", 0, 0, 0, false,
                List.of(), SIZE, new SeederStatsEvent.PreheatStats(at, at + 900, SIZE, SIZE, 0, true))), null), now.plusSeconds(2));
        Rollout.Preheat done = ledger.rollout("fleet-preheat.img", swarm, SIZE, false, now).preheat();
        assertEquals(Rollout.Preheat.DONE, done.state());
        assertEquals(Instant.ofEpochMilli(at + 900), done.finishedAt());
        given().header("Authorization", token).get("/internal/v1/artifacts/fleet-preheat.img/rollout").then().statusCode(200)
                .body("preheat.state", equalTo("done")).body("preheat.bytesRead", equalTo(SIZE));

        ledger.record(new SeederStatsEvent(SEEDER, "x", 0, 0, 0, List.of(new SeederStatsEvent.TorrentStats(swarm, "x", 0, 0, 0, false,
                List.of(), SIZE, new SeederStatsEvent.PreheatStats(at, at + 900, SIZE / 2, SIZE / 2, 0, false))), null), now.plusSeconds(3));
        assertEquals(Rollout.Preheat.PARTIAL, ledger.rollout("fleet-preheat.img", swarm, SIZE, false, now).preheat().state(),
                "the worker's cache held only part of it");

        given().header("Authorization", token).post("/internal/v1/artifacts/" + UUID.randomUUID() + "/preheat").then().statusCode(404);
        given().post("/internal/v1/artifacts/fleet-preheat.img/preheat").then().statusCode(401);
    }

    @Test
    void clientNamesComeFromAzureusStylePeerIds() {
        assertEquals("-LT2090-", FleetLedger.client(peer("-LT2090-", 1)));
        assertEquals("0102030405060708", FleetLedger.client("0102030405060708" + "00".repeat(12)));
    }
}
