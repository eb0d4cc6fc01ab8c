package io.shoal.tracker;

import io.shoal.bittorrent.PercentEncoding;
import io.shoal.bittorrent.metainfo.InfoHash;
import io.shoal.bittorrent.metainfo.PeerId;
import io.shoal.events.EventJson;
import io.shoal.events.ShoalTopic;
import io.shoal.events.TorrentPublishedEvent;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/** What the tracker tests share: torrents published on the real Kafka, raw HTTP queries. */
public final class TrackerTestSupport {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TrackerTestSupport() {
    }

    public static InfoHash randomHash() {
        byte[] bytes = new byte[20];
        RANDOM.nextBytes(bytes);
        return InfoHash.of(bytes);
    }

    public static TorrentPublishedEvent torrent(InfoHash v1, String v2Hex) {
        return new TorrentPublishedEvent("artifact-" + (v1 == null ? v2Hex : v1.hex()), "test.bin",
                v1 == null ? null : v1.hex(), v2Hex, v2Hex == null ? "v1" : "hybrid", 262144, 1000,
                "0".repeat(64), false, true, List.of(), List.of(), "shoal", "torrents/x.torrent", 1);
    }

    /** Publishes (or, with a null torrent, retires) on shoal.torrents and waits for Kafka's acknowledgement. */
    public static void publish(String bootstrapServers, String key, TorrentPublishedEvent torrent) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(p, new StringSerializer(), new EventJson.EventSerializer())) {
            producer.send(new ProducerRecord<>(ShoalTopic.TORRENTS.topicName(), key, torrent)).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException("publishing to shoal.torrents failed", e);
        }
    }

    public static String query(InfoHash hash, PeerId peer, int port, long left, String extra) {
        return "info_hash=" + PercentEncoding.encode(hash.bytes()) + "&peer_id=" + PercentEncoding.encode(peer.bytes())
                + "&port=" + port + "&uploaded=0&downloaded=0&left=" + left + extra;
    }

    public static byte[] get(URI base, String pathAndQuery) {
        try {
            HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(base.resolve(pathAndQuery))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new AssertionError("HTTP " + response.statusCode() + " for " + pathAndQuery + ": " + new String(response.body()));
            }
            return response.body();
        } catch (IOException e) {
            throw new AssertionError("GET " + pathAndQuery + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /**
     * GET over a bare socket, for queries no URI class accepts (a broken escape is what is being tested);
     * returns the body of a 200.
     */
    public static byte[] rawGet(URI base, String pathAndQuery) {
        return rawGet(base, pathAndQuery, null);
    }

    /** {@link #rawGet(URI, String)} from a source address of this machine's (127.0.0.2 is another host to the tracker). */
    public static byte[] rawGet(URI base, String pathAndQuery, java.net.InetAddress from) {
        try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort(), from, 0)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /" + pathAndQuery + " HTTP/1.1\r\nHost: " + base.getHost()
                    + "\r\nConnection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            byte[] response = socket.getInputStream().readAllBytes();
            String text = new String(response, java.nio.charset.StandardCharsets.ISO_8859_1);
            if (!text.startsWith("HTTP/1.1 200")) {
                throw new AssertionError("not a 200 for " + pathAndQuery + ": " + text.lines().findFirst().orElse(""));
            }
            int bodyStart = text.indexOf("\r\n\r\n") + 4;
            return java.util.Arrays.copyOfRange(response, bodyStart, response.length);
        } catch (IOException e) {
            throw new AssertionError("GET " + pathAndQuery + " failed", e);
        }
    }

    public static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
