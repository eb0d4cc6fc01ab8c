package io.shoal.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minio.ListMultipartUploadsArgs;
import io.minio.ListObjectsArgs;
import io.minio.MinioAsyncClient;
import io.minio.MinioClient;
import io.minio.Result;
import io.minio.messages.Item;
import io.shoal.events.EventJson;
import io.shoal.events.TorrentPublishedEvent;
import io.shoal.infra.ControllableStack;
import io.shoal.infra.ShoalService;
import io.shoal.infra.WorkDirectories;
import io.shoal.objectstore.ObjectKeys;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The upload path's promise under faults, against a whole stack whose parts are stopped, killed and frozen
 * (Kafka restarted; the store and PostgreSQL down for {@link #OUTAGE}; metadata killed between writing a
 * .torrent and publishing it; the gateway killed mid-upload; shoal.torrents deleted and created again). After
 * each: every upload answered 200, 201 or 202 is published and downloads byte-exact with aria2c; an upload
 * answered with an error left nothing (or, where the answer said it may still be published, is published
 * whole); no name or artifact was ever published with two different torrents. The last test waits for the
 * janitor and finds the store holding exactly what the catalog references, and no open multipart upload.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultInjectionIT {

    /** How long the store and PostgreSQL stay down: longer than the 12 attempts (~3 min) metadata used to give up after. */
    static final Duration OUTAGE = Duration.parse(System.getProperty("shoal.fault.outage", "PT5M"));
    private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private static Path home;
    private static ControllableStack stack;
    /** Every upload of the class and what it was answered. */
    private static final Map<String, Answer> ANSWERS = new ConcurrentHashMap<>();

    @TempDir
    Path dir;
    @RegisterExtension
    final Clients clients = new Clients(() -> dir);

    record Answer(String name, byte[] content, int status, String detail) {
        boolean acknowledged() {
            return status == 200 || status == 201 || status == 202;
        }

        /** An error after which the upload may still be published (Kafka did not confirm the event). */
        boolean mayStillBePublished() {
            return status == 503 && detail.contains("may still be published");
        }
    }

    @BeforeAll
    static void startStack() throws Exception {
        home = Files.createTempDirectory("shoal-faults-");
        stack = ControllableStack.start(home, Map.of(
                "shoal.gateway.publish-timeout", PUBLISH_TIMEOUT.toSeconds() + "s",
                "shoal.gateway.max-concurrent-uploads", "8",
                "shoal.metadata.janitor.interval", "10s",
                "shoal.metadata.janitor.grace", "45s",
                "shoal.metadata.reconcile-interval", "10s"));
    }

    @AfterAll
    static void stopStack() throws IOException {
        if (stack != null) {
            stack.close();
        }
        if (home != null) {
            // The services' logs outlive the stack, for whoever reads a failure.
            Path kept = Path.of("target", "fault-injection-logs");
            WorkDirectories.deleteRecursively(kept);
            Files.createDirectories(kept);
            try (var logs = Files.list(home.resolve("logs"))) {
                for (Path log : logs.toList()) {
                    Files.copy(log, kept.resolve(log.getFileName()));
                }
            }
            WorkDirectories.deleteRecursively(home);
        }
    }

    @Test
    @Order(1)
    void kafkaRestartedDuringUploadsAndProcessing() throws Exception {
        List<CompletableFuture<Answer>> answers = new ArrayList<>();
        // Bodies still arriving when the broker goes, and uploads whose events metadata is handling.
        // Two bodies still arriving when the broker goes, two uploads whose events metadata is handling (the
        // gateway takes four at a time).
        for (int i = 0; i < 2; i++) {
            answers.add(uploadAsync("kafka-slow-" + i, content(6 * 1024 * 1024 + i, i), Duration.ofSeconds(8)));
        }
        for (int i = 0; i < 2; i++) {
            answers.add(uploadAsync("kafka-quick-" + i, content(300_000 + i, 10 + i), Duration.ZERO));
        }
        Thread.sleep(3000);
        stack.stopKafka();
        answers.add(uploadAsync("kafka-while-down", content(500_000, 20), Duration.ZERO));
        Thread.sleep(10_000);
        stack.startKafka();
        List<Answer> done = join(answers);
        assertTrue(done.stream().anyMatch(Answer::acknowledged), "some uploads got through: " + summary(done));
        verify(done);
    }

    @Test
    @Order(2)
    void storeDownWhileUploadsAreProcessed() throws Exception {
        // Metadata is held back so that the store fails under events already in Kafka, not under the gateway.
        stack.freeze(ShoalService.METADATA);
        List<CompletableFuture<Answer>> answers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            answers.add(uploadAsync("store-down-" + i, content(2 * 1024 * 1024 + i, 30 + i), Duration.ZERO));
        }
        List<Answer> stored = join(answers);
        stored.forEach(a -> assertEquals(202, a.status(), a.name() + ": " + a.detail()));
        stack.stopStore();
        stack.thaw(ShoalService.METADATA);
        Answer refused = join(List.of(uploadAsync("store-down-refused", content(1_000_000, 40), Duration.ZERO))).getFirst();
        assertEquals(503, refused.status(), refused.detail());
        sleepThroughOutage(() -> {
            assertEquals(1.0, metric("shoal_metadata_uploads_waiting"), "metadata says an upload waits");
        });
        stack.startStore();
        verify(concat(stored, List.of(refused)));
    }

    @Test
    @Order(3)
    void postgresDownWhileUploadsArrive() throws Exception {
        stack.stopPostgres();
        List<CompletableFuture<Answer>> answers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            answers.add(uploadAsync("postgres-down-" + i, content(1024 * 1024 + i, 50 + i), Duration.ZERO));
        }
        List<Answer> done = join(answers);
        done.forEach(a -> assertEquals(202, a.status(), a.name() + ": " + a.detail()));
        sleepThroughOutage(() -> {
            assertEquals(200, Clients.status(managementUrl() + "/q/health/live"), "metadata stays live while it waits");
        });
        stack.startPostgres();
        verify(done);
    }

    /** The .torrent is in the store, the catalog transaction has not committed: metadata dies right there. */
    @Test
    @Order(4)
    void metadataKilledBetweenStoringTheTorrentAndPublishingIt() throws Exception {
        Set<String> torrentsBefore = objects("torrents/");
        CompletableFuture<Answer> answer;
        try (Connection db = database()) {
            db.setAutoCommit(false);
            try (Statement lock = db.createStatement()) {
                // Recording an upload locks its content rows first; deciding whether it was handled before does not.
                lock.execute("LOCK TABLE content IN ACCESS EXCLUSIVE MODE");
            }
            answer = uploadAsync("metadata-killed", content(3 * 1024 * 1024, 60), Duration.ZERO);
            clients.await("the .torrent written", () -> {
                try {
                    return objects("torrents/").size() > torrentsBefore.size();
                } catch (Exception e) {
                    return false;
                }
            }, 60);
            Thread.sleep(500);
            stack.kill(ShoalService.METADATA);
            db.rollback();
        }
        stack.start(ShoalService.METADATA);
        verify(join(List.of(answer)));
    }

    @Test
    @Order(5)
    void gatewayKilledMidUpload() throws Exception {
        URI gateway = URI.create(stack.gatewayUrl());
        byte[] half = content(24 * 1024 * 1024, 70);
        try (Socket socket = new Socket(gateway.getHost(), gateway.getPort())) {
            OutputStream out = socket.getOutputStream();
            out.write(("PUT /api/v1/artifacts/gateway-killed HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + stack.apiToken()
                    + "\r\nContent-Length: " + (48 * 1024 * 1024) + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.write(half);
            out.flush();
            Thread.sleep(1000); // the first parts are in the store, a multipart upload is open
            stack.kill(ShoalService.PEER_GATEWAY);
        }
        stack.start(ShoalService.PEER_GATEWAY);
        ANSWERS.put("gateway-killed", new Answer("gateway-killed", half, -1, "the connection broke"));
        assertEquals(404, Clients.status(stack.gatewayUrl() + "/api/v1/artifacts/gateway-killed"));
        Answer after = join(List.of(uploadAsync("after-gateway-killed", content(100_000, 71), Duration.ZERO))).getFirst();
        verify(List.of(after));
    }

    /** shoal.torrents deleted and created empty: metadata sends every published torrent again. */
    @Test
    @Order(6)
    void torrentsTopicDeletedAndRecreated() throws Exception {
        Properties admin = new Properties();
        admin.put("bootstrap.servers", stack.kafkaBootstrapServers());
        try (Admin kafka = Admin.create(admin)) {
            int partitions = kafka.describeTopics(List.of("shoal.torrents")).allTopicNames().get().get("shoal.torrents").partitions().size();
            kafka.deleteTopics(List.of("shoal.torrents")).all().get(30, TimeUnit.SECONDS);
            clients.await("the topic gone", () -> {
                try {
                    return !kafka.listTopics().names().get().contains("shoal.torrents");
                } catch (Exception e) {
                    return false;
                }
            }, 30);
            kafka.createTopics(List.of(new NewTopic("shoal.torrents", partitions, (short) 1)
                    .configs(Map.of("cleanup.policy", "compact")))).all().get(30, TimeUnit.SECONDS);
        }
        long recreated = System.nanoTime();
        List<Answer> published = ANSWERS.values().stream().filter(a -> isPublished(a.name())).toList();
        assertTrue(published.size() >= 5, "artifacts to serve again: " + published.size());
        clients.await("metadata sending every published torrent again", () -> {
            try {
                return metric("shoal_metadata_torrents_republished_total") >= published.size();
            } catch (Exception e) {
                return false;
            }
        }, 60);
        for (Answer artifact : published) {
            clients.await("the tracker and seeders serving '" + artifact.name() + "' again", () -> served(artifact.name()),
                    (int) Math.max(1, 60 - Duration.ofNanos(System.nanoTime() - recreated).toSeconds()));
        }
        long seconds = Duration.ofNanos(System.nanoTime() - recreated).toSeconds();
        assertTrue(seconds <= 60, "serving again took " + seconds + " s");
        // The tracker and the seeders read the new topic, not the old one's offsets: what is published now arrives.
        Answer after = join(List.of(uploadAsync("after-topic-recreated", content(200_000, 80), Duration.ZERO))).getFirst();
        assertEquals(201, after.status(), after.detail());
        clients.await("the new artifact served", () -> served(after.name()), 30);
        for (Answer artifact : published) {
            download(artifact);
        }
        download(after);
    }

    private static double metric(String name) throws Exception {
        return Clients.metric(managementUrl(), name, "");
    }

    @Test
    @Order(7)
    void theJanitorLeavesExactlyWhatTheCatalogReferences() throws Exception {
        clients.await("the store to hold only referenced objects", () -> {
            try {
                return objects("").equals(referenced()) && pendingMultipartUploads() == 0;
            } catch (Exception e) {
                return false;
            }
        }, 180);
        Map<String, Set<String>> hashesByName = new HashMap<>();
        Map<String, Set<String>> hashesByArtifact = new HashMap<>();
        for (TorrentPublishedEvent event : torrentEvents()) {
            String hash = event.infoHash() != null ? event.infoHash() : event.infoHashV2();
            hashesByName.computeIfAbsent(event.name(), n -> new HashSet<>()).add(hash);
            hashesByArtifact.computeIfAbsent(event.artifactId(), n -> new HashSet<>()).add(hash);
        }
        hashesByName.forEach((name, hashes) -> assertEquals(1, hashes.size(), name + " published as " + hashes));
        hashesByArtifact.forEach((id, hashes) -> assertEquals(1, hashes.size(), id + " published as " + hashes));
        for (Answer answer : ANSWERS.values()) {
            if (!answer.acknowledged() && !(answer.mayStillBePublished() && isPublished(answer.name()))) {
                assertEquals(0, rows("SELECT count(*) FROM artifact WHERE name = '" + answer.name().replace("'", "''") + "'"),
                        answer.name() + " was answered " + answer.status() + " yet recorded");
            }
        }
    }

    // --- checks ------------------------------------------------------------------------------------------

    /** Each acknowledged upload published and downloaded byte-exact; each failed one gone (or whole, if it may be). */
    private void verify(List<Answer> answers) throws Exception {
        for (Answer answer : answers) {
            if (answer.acknowledged()) {
                clients.await("'" + answer.name() + "' published", () -> isPublished(answer.name()), 180);
                assertEquals(sha256(answer.content()), artifact(answer.name()).path("sha256").asText(), answer.name());
                // Published in the catalog is not yet known to the tracker: after a broker restart it reads
                // shoal.torrents again within seconds, and aria2c, told "unknown info_hash", waits longer than the
                // download's timeout before it announces again.
                clients.await("'" + answer.name() + "' served by the tracker and a seeder", () -> served(answer.name()), 60);
                download(answer);
            } else if (answer.mayStillBePublished() && isPublished(answer.name())) {
                assertEquals(sha256(answer.content()), artifact(answer.name()).path("sha256").asText(), answer.name());
                download(answer);
            } else {
                assertEquals(404, Clients.status(stack.gatewayUrl() + "/api/v1/artifacts/" + answer.name()),
                        answer.name() + " answered " + answer.status() + " " + answer.detail());
            }
        }
    }

    private void download(Answer answer) throws Exception {
        Path into = Files.createDirectories(dir.resolve("download-" + answer.name()));
        Path torrent = into.resolve(answer.name() + ".torrent");
        HttpResponse<Path> got = HTTP.send(HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + "/api/v1/artifacts/"
                + answer.name() + "/torrent")).build(), HttpResponse.BodyHandlers.ofFile(torrent));
        assertEquals(200, got.statusCode());
        Path files = Files.createDirectories(into.resolve("files"));
        clients.aria2c(torrent.toString(), files);
        assertEquals(sha256(answer.content()), sha256(Files.readAllBytes(files.resolve(answer.name()))), answer.name());
    }

    /** The tracker hands out a seeder for the artifact's swarm, and that seeder answers its handshake. */
    private boolean served(String name) {
        try {
            JsonNode artifact = artifact(name);
            String infoHash = artifact.path("infoHash").asText();
            byte[] hash = HexFormat.of().parseHex(infoHash);
            StringBuilder escaped = new StringBuilder();
            for (byte b : hash) {
                escaped.append('%').append(String.format("%02X", b));
            }
            String url = stack.announceUrl() + "?info_hash=" + escaped + "&peer_id=-FI0001-000000000000&port=6999"
                    + "&uploaded=0&downloaded=0&left=1&compact=1&numwant=10";
            HttpResponse<byte[]> answer = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            String body = new String(answer.body(), java.nio.charset.StandardCharsets.ISO_8859_1);
            int peers = body.indexOf("5:peers");
            if (answer.statusCode() != 200 || body.contains("failure reason") || peers < 0 || body.startsWith("0:", peers + 7)) {
                return false;
            }
            return handshake(hash, body.substring(peers + 7));
        } catch (Exception e) {
            return false;
        }
    }

    /** Connects to the first compact peer and checks it answers a handshake for the swarm. */
    private static boolean handshake(byte[] infoHash, String peersField) throws IOException {
        int colon = peersField.indexOf(':');
        byte[] compact = peersField.substring(colon + 1).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        String host = (compact[0] & 0xff) + "." + (compact[1] & 0xff) + "." + (compact[2] & 0xff) + "." + (compact[3] & 0xff);
        int port = (compact[4] & 0xff) << 8 | compact[5] & 0xff;
        try (Socket socket = new Socket(host, port)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            out.write(19);
            out.write("BitTorrent protocol".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.write(new byte[8]);
            out.write(infoHash);
            out.write("-FI0001-000000000001".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            out.flush();
            byte[] reply = socket.getInputStream().readNBytes(68);
            return reply.length == 68 && java.util.Arrays.equals(java.util.Arrays.copyOfRange(reply, 28, 48), infoHash);
        }
    }

    private boolean isPublished(String name) {
        return Clients.status(stack.gatewayUrl() + "/api/v1/artifacts/" + name) == 200;
    }

    private JsonNode artifact(String name) throws Exception {
        return JSON.readTree(Clients.get(stack.gatewayUrl() + "/api/v1/artifacts/" + name));
    }

    /** Every object the catalog's published artifacts need: their content, piece hashes and .torrent. */
    private Set<String> referenced() throws Exception {
        Set<String> keys = new TreeSet<>();
        try (Connection db = database(); Statement s = db.createStatement()) {
            try (ResultSet r = s.executeQuery("SELECT DISTINCT c.object_key FROM content c JOIN artifact_file f ON f.sha256 = c.sha256 "
                    + "JOIN artifact a ON a.id = f.artifact_id WHERE a.status = 'PUBLISHED'")) {
                while (r.next()) {
                    keys.add(r.getString(1));
                }
            }
            try (ResultSet r = s.executeQuery("SELECT a.id, t.torrent_key FROM artifact a JOIN torrent t ON t.artifact_id = a.id "
                    + "WHERE a.status = 'PUBLISHED'")) {
                while (r.next()) {
                    keys.add(r.getString(2));
                    keys.add(ObjectKeys.pieceHashes(UUID.fromString(r.getString(1))));
                }
            }
        }
        return keys;
    }

    private long rows(String query) throws Exception {
        try (Connection db = database(); Statement s = db.createStatement(); ResultSet r = s.executeQuery(query)) {
            r.next();
            return r.getLong(1);
        }
    }

    private static Set<String> objects(String prefix) throws Exception {
        Map<String, String> backing = stack.backingConfig();
        Set<String> keys = new TreeSet<>();
        try (MinioClient store = MinioClient.builder().endpoint(backing.get("shoal.object-store.endpoint"))
                .credentials(backing.get("shoal.object-store.access-key"), backing.get("shoal.object-store.secret-key"))
                .region("us-east-1").build()) {
            for (Result<Item> item : store.listObjects(ListObjectsArgs.builder().bucket(backing.get("shoal.object-store.bucket"))
                    .prefix(prefix).recursive(true).build())) {
                keys.add(item.get().objectName());
            }
        }
        return keys;
    }

    private static int pendingMultipartUploads() throws Exception {
        Map<String, String> backing = stack.backingConfig();
        MinioAsyncClient store = MinioAsyncClient.builder().endpoint(backing.get("shoal.object-store.endpoint"))
                .credentials(backing.get("shoal.object-store.access-key"), backing.get("shoal.object-store.secret-key"))
                .region("us-east-1").build();
        try {
            return store.listMultipartUploads(ListMultipartUploadsArgs.builder().bucket(backing.get("shoal.object-store.bucket")).build())
                    .get(30, TimeUnit.SECONDS).result().uploads().size();
        } finally {
            store.close();
        }
    }

    private static Connection database() throws Exception {
        Map<String, String> backing = stack.backingConfig();
        return DriverManager.getConnection(backing.get("quarkus.datasource.jdbc.url"), backing.get("quarkus.datasource.username"),
                backing.get("quarkus.datasource.password"));
    }

    private static List<TorrentPublishedEvent> torrentEvents() {
        Properties config = new Properties();
        config.put("bootstrap.servers", stack.kafkaBootstrapServers());
        List<TorrentPublishedEvent> events = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor("shoal.torrents", Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (record.value() != null) {
                        events.add(EventJson.read(record.value(), TorrentPublishedEvent.class));
                    }
                }
            }
        }
        return events;
    }

    // --- uploads -----------------------------------------------------------------------------------------

    /** A PUT whose body takes {@code spread} to send, answered whenever the gateway answers. */
    private static CompletableFuture<Answer> uploadAsync(String name, byte[] content, Duration spread) {
        HttpRequest.BodyPublisher body = spread.isZero() ? HttpRequest.BodyPublishers.ofByteArray(content)
                : HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> new SlowStream(content, spread)),
                content.length);
        HttpRequest request = HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + "/api/v1/artifacts/" + name))
                .timeout(Duration.ofMinutes(3)).header("Authorization", "Bearer " + stack.apiToken()).PUT(body).build();
        return HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((response, failure) -> {
            Answer answer;
            if (failure != null) {
                answer = new Answer(name, content, -1, String.valueOf(failure));
            } else {
                String detail = "";
                try {
                    detail = JSON.readTree(response.body()).path("detail").asText("");
                } catch (IOException e) {
                    detail = response.body();
                }
                answer = new Answer(name, content, response.statusCode(), detail);
            }
            ANSWERS.put(name, answer);
            System.out.printf("%s answered %d %s%n", name, answer.status(), answer.detail());
            return answer;
        });
    }

    /** Hands out its bytes evenly over a time, at most 64 KiB a read. */
    private static final class SlowStream extends InputStream {
        private final byte[] content;
        private final long started = System.nanoTime();
        private final long spreadNanos;
        private int at;

        SlowStream(byte[] content, Duration spread) {
            this.content = content;
            this.spreadNanos = spread.toNanos();
        }

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] into, int offset, int length) {
            if (at == content.length) {
                return -1;
            }
            long due = started + spreadNanos * at / content.length;
            long early = due - System.nanoTime();
            if (early > 0) {
                try {
                    TimeUnit.NANOSECONDS.sleep(early);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            int n = Math.min(Math.min(length, 65536), content.length - at);
            System.arraycopy(content, at, into, offset, n);
            at += n;
            return n;
        }
    }

    private static List<Answer> join(List<CompletableFuture<Answer>> answers) {
        return answers.stream().map(CompletableFuture::join).toList();
    }

    private static List<Answer> concat(List<Answer> a, List<Answer> b) {
        List<Answer> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static String summary(List<Answer> answers) {
        return answers.stream().map(a -> a.name() + "=" + a.status() + " " + a.detail()).toList().toString();
    }

    private interface Check {
        void run() throws Exception;
    }

    /** Waits the outage out, checking halfway and at the end that the waiting side is healthy. */
    private static void sleepThroughOutage(Check during) throws Exception {
        Thread.sleep(OUTAGE.toMillis() / 2);
        during.run();
        Thread.sleep(OUTAGE.toMillis() - OUTAGE.toMillis() / 2);
        during.run();
    }

    private static String managementUrl() {
        return stack.managementUrl(ShoalService.METADATA);
    }

    private static byte[] content(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
