package io.shoal.bench;

import io.shoal.bittorrent.PercentEncoding;
import io.shoal.events.EventJson;
import io.shoal.events.ShoalTopic;
import io.shoal.events.TorrentPublishedEvent;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Shoal's tracker beside opentracker, same machine, same run, same load: HTTP announces from wrk (a Lua
 * script drawing info_hash, peer_id and port from a fixed peer population, compact=1) and UDP announces
 * from {@link UdpAnnounceLoad}. Both trackers know the same torrents: published on shoal.torrents for
 * Shoal, a whitelist for opentracker (Debian builds it whitelist-only). The stack's tracker replicates every
 * announce to Kafka, as deployed; a second tracker of the same build with replication off
 * ({@code SHOAL_TRACKER_REPLICATION_ENABLED=false}) shows what that costs, and a third with the fleet ledger's host
 * reports off too ({@code SHOAL_TRACKER_LEDGER_ENABLED=false}) what those cost. Prints Markdown table rows.
 *
 * <p>Arguments: the stack's state file, a scratch directory, seconds per measurement, the tracker's
 * quarkus-run.jar.
 */
public final class TrackerBenchmark {

    private static final int TORRENTS = 1000;
    /** SHOAL_BENCH_PROFILE=1: JFR on the replication-off tracker during each of its measured loads, hot methods printed. */
    private static final boolean PROFILE = "1".equals(System.getenv("SHOAL_BENCH_PROFILE"));
    private static final int PEERS = 20_000;

    public static void main(String[] args) throws Exception {
        Properties stack = stack(Path.of(args[0]));
        Path work = Path.of(args[1]);
        int seconds = Integer.parseInt(args[2]);
        URI shoal = URI.create(stack.getProperty("service.tracker.url"));

        byte[][] hashes = new byte[TORRENTS][20];
        Random random = new Random(1);
        for (byte[] hash : hashes) {
            random.nextBytes(hash);
        }
        publish(stack.getProperty("kafka.bootstrap.servers"), hashes);
        awaitTracked(shoal, hashes[hashes.length - 1]);

        int otPort = freePort();
        Process opentracker = startOpentracker(work, hashes, otPort);
        int soloPort = freePort();
        Process solo = startTracker(Path.of(args[3]), work.resolve("tracker-solo"), stack.getProperty("kafka.bootstrap.servers"), soloPort,
                java.util.Map.of("SHOAL_TRACKER_REPLICATION_ENABLED", "false"));
        int barePort = freePort();
        Process bare = startTracker(Path.of(args[3]), work.resolve("tracker-bare"), stack.getProperty("kafka.bootstrap.servers"), barePort,
                java.util.Map.of("SHOAL_TRACKER_REPLICATION_ENABLED", "false", "SHOAL_TRACKER_LEDGER_ENABLED", "false"));
        try {
            URI soloUri = URI.create("http://127.0.0.1:" + soloPort);
            awaitTracked(soloUri, hashes[hashes.length - 1]);
            URI bareUri = URI.create("http://127.0.0.1:" + barePort);
            awaitTracked(bareUri, hashes[hashes.length - 1]);
            Path lua = work.resolve("announce.lua");
            Files.writeString(lua, luaScript(hashes, false));
            Path luaClose = work.resolve("announce-close.lua");
            Files.writeString(luaClose, luaScript(hashes, true));
            String ot = "http://127.0.0.1:" + otPort;
            String ours = shoal.toString();

            System.out.println("| load | tracker | req/s | p50 | p99 | vs opentracker |");
            System.out.println("|---|---|---|---|---|---|");
            for (int round = 1; round <= 2; round++) {
                // round 1 warms both up (the JIT, the swarms); round 2 is reported
                Wrk otHttp = wrk(ot, lua, round == 1 ? 5 : seconds);
                Wrk ourHttp = wrk(ours, lua, round == 1 ? 5 : seconds);
                Wrk ourClose = wrk(ours, luaClose, round == 1 ? 5 : seconds);
                UdpAnnounceLoad.Result otUdp = new UdpAnnounceLoad(new InetSocketAddress("127.0.0.1", otPort), hashes, PEERS)
                        .run(2, 32, (round == 1 ? 5 : seconds) * 1000L);
                UdpAnnounceLoad.Result ourUdp = new UdpAnnounceLoad(new InetSocketAddress("127.0.0.1", shoal.getPort()), hashes, PEERS)
                        .run(2, 32, (round == 1 ? 5 : seconds) * 1000L);
                boolean profile = round == 2 && PROFILE;
                Profile keepAlive = profile ? Profile.start(solo, work, "keep-alive") : null;
                Wrk soloHttp = wrk(soloUri.toString(), lua, round == 1 ? 5 : seconds);
                Profile close = profile ? keepAlive.next("close") : null;
                Wrk soloClose = wrk(soloUri.toString(), luaClose, round == 1 ? 5 : seconds);
                Profile udp = profile ? close.next("udp") : null;
                UdpAnnounceLoad.Result soloUdp = new UdpAnnounceLoad(new InetSocketAddress("127.0.0.1", soloPort), hashes, PEERS)
                        .run(2, 32, (round == 1 ? 5 : seconds) * 1000L);
                if (profile) {
                    udp.stop();
                }
                Wrk bareHttp = wrk(bareUri.toString(), lua, round == 1 ? 5 : seconds);
                UdpAnnounceLoad.Result bareUdp = new UdpAnnounceLoad(new InetSocketAddress("127.0.0.1", barePort), hashes, PEERS)
                        .run(2, 32, (round == 1 ? 5 : seconds) * 1000L);
                if (round == 1) {
                    continue;
                }
                row("HTTP, wrk -t2 -c64", "opentracker (closes each connection)", otHttp.perSecond, otHttp.p50, otHttp.p99, otHttp, otHttp);
                row("HTTP, wrk -t2 -c64", "Shoal (keep-alive)", ourHttp.perSecond, ourHttp.p50, ourHttp.p99, ourHttp, otHttp);
                row("HTTP, wrk -t2 -c64", "Shoal (Connection: close)", ourClose.perSecond, ourClose.p50, ourClose.p99, ourClose, otHttp);
                udpRow("opentracker", otUdp, otUdp);
                udpRow("Shoal", ourUdp, otUdp);
                row("HTTP, wrk -t2 -c64", "Shoal, replication off (keep-alive)", soloHttp.perSecond, soloHttp.p50, soloHttp.p99, soloHttp, otHttp);
                row("HTTP, wrk -t2 -c64", "Shoal, replication off (Connection: close)", soloClose.perSecond, soloClose.p50, soloClose.p99, soloClose, otHttp);
                udpRow("Shoal, replication off", soloUdp, otUdp);
                row("HTTP, wrk -t2 -c64", "Shoal, replication and host reports off (keep-alive)", bareHttp.perSecond, bareHttp.p50,
                        bareHttp.p99, bareHttp, otHttp);
                udpRow("Shoal, replication and host reports off", bareUdp, otUdp);
                if (profile) {
                    for (Profile p : List.of(keepAlive, close, udp)) {
                        p.print();
                    }
                }
            }
        } finally {
            solo.destroy();
            solo.waitFor(15, TimeUnit.SECONDS);
            bare.destroy();
            bare.waitFor(15, TimeUnit.SECONDS);
            opentracker.destroy();
            opentracker.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private record Wrk(double perSecond, double p50, double p99, long errors, String output) {
    }

    private static void row(String load, String tracker, double rate, double p50, double p99, Wrk own, Wrk reference) {
        System.out.printf(Locale.ROOT, "| %s | %s | %.0f | %.2f ms | %.2f ms | %.2fx req/s, p99 %.2fx |%s%n", load, tracker, rate, p50, p99,
                rate / reference.perSecond, p99 / reference.p99, own.errors > 0 ? " (" + own.errors + " socket errors)" : "");
    }

    private static void udpRow(String tracker, UdpAnnounceLoad.Result own, UdpAnnounceLoad.Result reference) {
        System.out.printf(Locale.ROOT, "| UDP, 2 x 32 in flight | %s | %.0f | %.2f ms | %.2f ms | %.2fx req/s, p99 %.2fx |%s%n", tracker,
                own.perSecond(), own.p50Millis(), own.p99Millis(), own.perSecond() / reference.perSecond(),
                own.p99Millis() / reference.p99Millis(),
                own.lost() + own.errors() > 0 ? " (" + own.lost() + " lost, " + own.errors() + " errors)" : "");
    }

    /** The stack's state file (./shoal up writes it): its URLs and Kafka's address. */
    static Properties stack(Path file) throws IOException {
        Properties stack = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            stack.load(in);
        }
        return stack;
    }

    static void publish(String bootstrap, byte[][] hashes) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(p, new StringSerializer(), new EventJson.EventSerializer())) {
            for (int i = 0; i < hashes.length; i++) {
                String hex = HexFormat.of().formatHex(hashes[i]);
                producer.send(new ProducerRecord<>(ShoalTopic.TORRENTS.topicName(), hex, new TorrentPublishedEvent(
                        "bench-" + i, "bench-" + i + ".bin", hex, null, "v1", 262144, 1L << 30, "0".repeat(64), false, true,
                        List.of(), List.of(), "shoal", "torrents/bench-" + i + ".torrent", System.currentTimeMillis())));
            }
            producer.flush();
        }
    }

    static void awaitTracked(URI tracker, byte[] hash) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            try {
                String body = http.send(HttpRequest.newBuilder(tracker.resolve("/scrape?info_hash=" + PercentEncoding.encode(hash))).build(),
                        HttpResponse.BodyHandlers.ofString(StandardCharsets.ISO_8859_1)).body();
                if (!body.contains("failure reason")) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the tracker did not pick up the benchmark's torrents within 60 s");
    }

    /**
     * The same tracker build beside the stack's, on the stack's Kafka (for the torrent catalog), HTTP and UDP on
     * one port unless {@code extra} says otherwise, run from a directory of its own (a .env in the working
     * directory would be read as configuration), logging there.
     */
    static Process startTracker(Path jar, Path dir, String kafka, int port, java.util.Map<String, String> extra) throws Exception {
        Files.createDirectories(dir);
        ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xmx384m", "-jar",
                jar.toAbsolutePath().toString()).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("tracker.log").toFile());
        builder.environment().putAll(java.util.Map.of("KAFKA_BOOTSTRAP_SERVERS", kafka,
                "SHOAL_TRACKER_ANNOUNCE_URL", "http://127.0.0.1:" + port + "/announce", "SHOAL_TRACKER_TRUSTED_CIDRS", "127.0.0.1/32",
                "QUARKUS_HTTP_HOST", "127.0.0.1", "QUARKUS_HTTP_PORT", Integer.toString(port),
                // announces are what is measured; several trackers run at once and would contend for the DHT's UDP 6970
                "SHOAL_DHT_ENABLED", "false"));
        builder.environment().putAll(extra);
        return builder.start();
    }

    /** Debian's opentracker chroots into -d and drops to -u before reading the whitelist: all world-readable. */
    private static Process startOpentracker(Path work, byte[][] hashes, int port) throws Exception {
        Path dir = Files.createDirectories(work.resolve("opentracker"));
        StringBuilder whitelist = new StringBuilder();
        for (byte[] hash : hashes) {
            whitelist.append(HexFormat.of().formatHex(hash)).append('\n');
        }
        Files.writeString(dir.resolve("whitelist"), whitelist);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(dir.resolve("whitelist"), PosixFilePermissions.fromString("rw-r--r--"));
        Process process = new ProcessBuilder("opentracker", "-i", "127.0.0.1", "-p", Integer.toString(port), "-P",
                Integer.toString(port), "-d", dir.toString(), "-u", "nobody", "-w", "whitelist")
                .redirectErrorStream(true).redirectOutput(work.resolve("opentracker.log").toFile()).start();
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                Thread.sleep(1000); // and a moment to read the whitelist
                return process;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        process.destroy();
        throw new IllegalStateException("opentracker did not listen on " + port + ": " + Files.readString(work.resolve("opentracker.log")));
    }

    private static String luaScript(byte[][] hashes, boolean close) {
        StringBuilder lua = new StringBuilder("local hashes = {\n");
        for (byte[] hash : hashes) {
            lua.append("  \"").append(PercentEncoding.encode(hash)).append("\",\n");
        }
        lua.append("}\n");
        if (close) {
            lua.append("wrk.headers[\"Connection\"] = \"close\"\n");
        }
        lua.append("""
                local peers = %d
                init = function(args)
                  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
                end
                request = function()
                  local p = math.random(0, peers - 1)
                  local h = hashes[(p %% #hashes) + 1]
                  local left = 1000
                  if p %% 3 == 0 then left = 0 end
                  return wrk.format("GET", "/announce?info_hash=" .. h .. "&peer_id=" .. string.format("-WR0001-%%012d", p)
                    .. "&port=" .. (10000 + p %% 50000) .. "&uploaded=0&downloaded=0&left=" .. left .. "&compact=1&numwant=50")
                end
                """.formatted(PEERS));
        return lua.toString();
    }

    private static Wrk wrk(String url, Path lua, int seconds) throws Exception {
        Process process = new ProcessBuilder("wrk", "-t2", "-c64", "-d" + seconds + "s", "--latency", "-s", lua.toString(), url)
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        Matcher rate = Pattern.compile("Requests/sec:\\s+([0-9.]+)").matcher(output);
        if (!rate.find()) {
            throw new IllegalStateException("wrk said:\n" + output);
        }
        Matcher errors = Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)").matcher(output);
        long errorCount = 0;
        if (errors.find()) {
            for (int i = 1; i <= 4; i++) {
                errorCount += Long.parseLong(errors.group(i));
            }
        }
        return new Wrk(Double.parseDouble(rate.group(1)), percentile(output, "50%"), percentile(output, "99%"), errorCount, output);
    }

    private static double percentile(String output, String label) {
        Matcher m = Pattern.compile("\\s" + Pattern.quote(label) + "\\s+([0-9.]+)(us|ms|s)").matcher(output);
        if (!m.find()) {
            throw new IllegalStateException("no " + label + " latency in wrk's output:\n" + output);
        }
        double value = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "us" -> value / 1000;
            case "ms" -> value;
            default -> value * 1000;
        };
    }

    static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /**
     * A JFR recording ({@code settings=profile}) of one load on a tracker, started and stopped with jcmd, and what
     * {@code jfr view hot-methods} makes of it: where that load's CPU samples fell.
     */
    private record Profile(Process tracker, Path work, String load) {

        static Profile start(Process tracker, Path work, String load) throws Exception {
            Profile profile = new Profile(tracker, work, load);
            profile.tool("jcmd", Long.toString(tracker.pid()), "JFR.start", "name=" + load, "settings=profile");
            return profile;
        }

        /** Stops this recording and starts the next load's. */
        Profile next(String nextLoad) throws Exception {
            stop();
            return start(tracker, work, nextLoad);
        }

        void stop() throws Exception {
            tool("jcmd", Long.toString(tracker.pid()), "JFR.stop", "name=" + load, "filename=" + file());
        }

        void print() throws Exception {
            System.out.println();
            System.out.println("Hot methods of the replication-off tracker, " + load + " (JFR execution samples):");
            System.out.println(tool("jfr", "view", "--width", "160", "hot-methods", file().toString()));
        }

        private Path file() {
            return work.resolve("tracker-" + load + ".jfr").toAbsolutePath();
        }

        /** Runs a tool of the JDK running this benchmark; returns what it printed. */
        private String tool(String name, String... args) throws Exception {
            Path java = Path.of(ProcessHandle.current().info().command().orElseThrow());
            List<String> command = new ArrayList<>(List.of(java.resolveSibling(name).toString()));
            command.addAll(List.of(args));
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(name + " " + String.join(" ", args) + " failed: " + out);
            }
            return out;
        }
    }
}
