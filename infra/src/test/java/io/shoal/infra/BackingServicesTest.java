package io.shoal.infra;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.StatObjectArgs;
import io.shoal.events.ShoalTopic;
import io.shoal.events.ShoalTopics;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackingServicesTest {

    private static final BackingServices.Credentials CREDENTIALS =
            new BackingServices.Credentials("shoal", "test-secret", "test-password");

    private static Path home;
    private static BackingServices services;

    @BeforeAll
    static void start() throws Exception {
        home = Files.createTempDirectory("shoal-infra-test-");
        services = BackingServices.start(home, BackingServices.Endpoints.free(), CREDENTIALS,
                BackingServices.Durability.THROWAWAY, RepoLayout.find(), "-Dshoal.home=" + home);
    }

    @AfterAll
    static void stop() {
        if (services != null) {
            services.close();
        }
        WorkDirectories.deleteRecursively(home);
    }

    @Test
    void kafkaRecordIsProducedAndConsumed() throws Exception {
        String topic = ShoalTopic.TORRENTS.topicName();
        String key = "c12fe1c06bba254a9dc9f519b335aa7c1367a88a";
        try (var producer = new KafkaProducer<String, String>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, services.kafka().bootstrapServers()),
                new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(topic, key, "{\"name\":\"disk.qcow2\"}")).get(30, TimeUnit.SECONDS);
        }
        try (var consumer = new KafkaConsumer<String, String>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, services.kafka().bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "backing-services-test",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            ConsumerRecord<String, String> received = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (received == null && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    if (key.equals(record.key())) {
                        received = record;
                    }
                }
            }
            assertTrue(received != null, "the record came back within 30 s");
            assertEquals("{\"name\":\"disk.qcow2\"}", received.value());
        }
    }

    @Test
    void everyShoalTopicExistsWithItsPartitionsAndCleanupPolicy() throws Exception {
        try (Admin admin = services.kafka().admin()) {
            var names = Arrays.stream(ShoalTopic.values()).map(ShoalTopic::topicName).toList();
            var descriptions = admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS);
            var resources = names.stream().map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
            Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get(30, TimeUnit.SECONDS);
            for (ShoalTopic topic : ShoalTopic.values()) {
                assertEquals(topic.partitions(), descriptions.get(topic.topicName()).partitions().size(), topic.topicName());
                String policy = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, topic.topicName()))
                        .get("cleanup.policy").value();
                assertEquals(topic.configs().get("cleanup.policy"), policy, topic.topicName());
            }
        }
    }

    /**
     * The event of a form of 10,000 files is about 2 MB: a topic made with Kafka's default record limit (1 MiB), as
     * every topic was before Shoal needed more, is raised by the next start and takes such a record.
     */
    @Test
    void aTopicWithKafkasDefaultRecordLimitIsRaisedAndTakesAnEventOfManyFiles() throws Exception {
        String topic = ShoalTopic.ARTIFACTS_UPLOADED.topicName();
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        try (Admin admin = services.kafka().admin()) {
            admin.incrementalAlterConfigs(Map.of(resource, List.of(new AlterConfigOp(new ConfigEntry("max.message.bytes", "1048588"),
                    AlterConfigOp.OpType.SET)))).all().get(30, TimeUnit.SECONDS);
            ShoalTopics.Outcome outcome = ShoalTopics.ensure(admin, (short) 1, Duration.ofSeconds(30));
            assertEquals(List.of(topic + " max.message.bytes 1048588 -> " + ShoalTopic.MAX_RECORD_BYTES), outcome.raised());
            assertEquals(List.of(), ShoalTopics.ensure(admin, (short) 1, Duration.ofSeconds(30)).raised(), "raised once");
        }
        byte[] event = new byte[2_000_000];
        new Random(3).nextBytes(event);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, services.kafka().bootstrapServers(),
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, ShoalTopic.MAX_RECORD_BYTES), new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, "many-files", event)).get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void postgresRowIsWrittenAndReadAsTheShoalRole() throws Exception {
        var pg = services.postgres();
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl(), pg.username(), pg.password());
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS probe (id bigint PRIMARY KEY, name text NOT NULL)");
            s.execute("INSERT INTO probe VALUES (42, 'ubuntu.iso') ON CONFLICT (id) DO NOTHING");
            try (ResultSet rs = s.executeQuery("SELECT name, current_user FROM probe WHERE id = 42")) {
                assertTrue(rs.next());
                assertEquals("ubuntu.iso", rs.getString(1));
                assertEquals("shoal", rs.getString(2));
            }
        }
    }

    @Test
    void objectIsPutAndReadBackWithARangedGet() throws Exception {
        byte[] content = new byte[3 * 1024 * 1024 + 17];
        new Random(7).nextBytes(content);
        try (MinioClient client = services.s3().client()) {
            client.putObject(PutObjectArgs.builder().bucket(BackingServices.BUCKET).object("blobs/probe")
                    .stream(new ByteArrayInputStream(content), (long) content.length, (long) (5 * 1024 * 1024))
                    .build());
            assertEquals(content.length, client.statObject(StatObjectArgs.builder()
                    .bucket(BackingServices.BUCKET).object("blobs/probe").build()).size());
            long offset = 1024 * 1024 - 5;
            try (InputStream in = client.getObject(GetObjectArgs.builder().bucket(BackingServices.BUCKET)
                    .object("blobs/probe").offset(offset).length(16384L).build())) {
                assertArrayEquals(Arrays.copyOfRange(content, (int) offset, (int) offset + 16384), in.readAllBytes());
            }
        }
    }

    @Test
    void serviceConfigNamesEveryBackingService() {
        Map<String, String> config = services.serviceConfig();
        assertEquals(services.kafka().bootstrapServers(), config.get("kafka.bootstrap.servers"));
        assertEquals(services.postgres().jdbcUrl(), config.get("quarkus.datasource.jdbc.url"));
        assertEquals(services.s3().endpoint(), config.get("shoal.object-store.endpoint"));
        assertEquals("shoal", config.get("shoal.object-store.bucket"));
    }

    /** A restart on the same work directory keeps the data; a stop leaves no process and frees the ports. */
    @Test
    void dataSurvivesARestartAndStopLeavesNothingRunning(@TempDir Path dir) throws Exception {
        var ports = BackingServices.Endpoints.free();
        var layout = RepoLayout.find();
        List<Long> firstPids;
        try (BackingServices first = BackingServices.start(dir, ports, CREDENTIALS, BackingServices.Durability.DURABLE, layout, "-Dshoal.home=" + dir)) {
            firstPids = first.childPids();
            assertEquals(2, firstPids.size(), "s3proxy and the postmaster");
            try (MinioClient client = first.s3().client()) {
                client.putObject(PutObjectArgs.builder().bucket(BackingServices.BUCKET).object("kept")
                        .stream(new ByteArrayInputStream("kept".getBytes(StandardCharsets.UTF_8)), 4L, -1L).build());
            }
            try (Connection c = DriverManager.getConnection(first.postgres().jdbcUrl(), "shoal", "test-password");
                 Statement s = c.createStatement()) {
                s.execute("CREATE TABLE kept (v text)");
                s.execute("INSERT INTO kept VALUES ('row')");
                try (ResultSet rs = s.executeQuery("SHOW fsync")) {
                    assertTrue(rs.next());
                    assertEquals("on", rs.getString(1), "a durable server flushes its commits");
                }
            }
        }
        for (long pid : firstPids) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "pid " + pid + " still runs");
        }
        for (int port : new int[] {ports.kafka(), ports.kafkaController(), ports.postgres(), ports.s3()}) {
            assertFalse(Ports.inUse(port), "port " + port + " still bound");
        }

        try (BackingServices second = BackingServices.start(dir, ports, CREDENTIALS, BackingServices.Durability.DURABLE, layout, "-Dshoal.home=" + dir)) {
            try (MinioClient client = second.s3().client();
                 InputStream in = client.getObject(GetObjectArgs.builder().bucket(BackingServices.BUCKET).object("kept").build())) {
                assertEquals("kept", new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            try (Connection c = DriverManager.getConnection(second.postgres().jdbcUrl(), "shoal", "test-password");
                 Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT v FROM kept")) {
                assertTrue(rs.next());
                assertEquals("row", rs.getString(1));
            }
            try (Admin admin = second.kafka().admin()) {
                assertTrue(admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(ShoalTopic.TORRENTS.topicName()));
            }
        }
    }
}
