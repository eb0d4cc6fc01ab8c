package io.shoal.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.shoal.bittorrent.bencode.BDict;
import io.shoal.bittorrent.bencode.BString;
import io.shoal.bittorrent.bencode.BValue;
import io.shoal.bittorrent.bencode.BencodeDecoder;
import io.shoal.bittorrent.bencode.BencodeEncoder;
import io.shoal.bittorrent.bencode.BencodeException;
import io.shoal.bittorrent.bencode.BencodeLimits;
import io.shoal.infra.Ports;
import io.shoal.infra.RepoLayout;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The ordinary BitTorrent clients and other processes an end-to-end test starts, each logging to a file in
 * the test's directory (shown when something fails) and each stopped after the test. Register it with
 * {@code @RegisterExtension final Clients clients = new Clients(() -> dir);} beside a {@code @TempDir dir}.
 */
final class Clients implements AfterEachCallback {

    static final Path LT_PEER = RepoLayout.find().root().resolve("e2e-tests/src/test/resources/lt_peer.py");
    static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Supplier<Path> testDir;
    private final List<Process> started = new ArrayList<>();

    /** @param testDir the test's directory, asked for when a process starts (JUnit sets it after construction) */
    Clients(Supplier<Path> testDir) {
        this.testDir = testDir;
    }

    /** A background process logging to NAME.log, stopped at the end of the test. */
    Process start(String name, String... command) throws IOException {
        return start(name, new ProcessBuilder(command));
    }

    Process start(String name, ProcessBuilder builder) throws IOException {
        Path dir = testDir.get();
        Process process = builder.directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".log").toFile())).start();
        started.add(process);
        return process;
    }

    /**
     * One more instance of a Shoal service (its packaged jar) beside the stack, on loopback at {@code httpPort},
     * configured by environment like the stack's own; returns once {@code /q/health/ready} answers 200.
     */
    Process service(String name, String module, int httpPort, Map<String, String> environment) throws Exception {
        Path jar = RepoLayout.find().root().resolve("services/" + module + "/target/quarkus-app/quarkus-run.jar");
        ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xmx256m",
                "-jar", jar.toString());
        builder.environment().putAll(environment);
        if (module.equals("tracker")) {
            // not the DHT's default 6970: another tracker of the test's may hold it
            builder.environment().putIfAbsent("SHOAL_DHT_PORT", Integer.toString(Ports.free()));
        }
        builder.environment().put("QUARKUS_HTTP_HOST", "127.0.0.1");
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(httpPort));
        Process process = start(name, builder);
        await(name + " ready", () -> status("http://127.0.0.1:" + httpPort + "/q/health/ready") == 200, 90);
        return process;
    }

    /**
     * A metric at a service's {@code /q/metrics}: the sum of the series named {@code name} whose labels contain
     * {@code labels} (empty: every series of the name).
     */
    static double metric(String managementUrl, String name, String labels) throws IOException, InterruptedException {
        return get(managementUrl + "/q/metrics").lines()
                .filter(l -> (l.startsWith(name + " ") || l.startsWith(name + "{")) && l.contains(labels))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    /**
     * The .torrent with no way to peers but the DHT: its announce, announce-list and url-list (web seeds) left out,
     * the rest (the info dictionary, BEP 5 nodes) as it was.
     */
    static byte[] trackerless(byte[] torrent) throws BencodeException {
        BDict.Builder out = BDict.builder();
        for (Map.Entry<BString, BValue> e : BencodeDecoder.decodeDict(torrent, BencodeLimits.DEFAULT).entries().entrySet()) {
            if (!List.of("announce", "announce-list", "url-list").contains(e.getKey().utf8())) {
                out.put(e.getKey(), e.getValue());
            }
        }
        return BencodeEncoder.encode(out.build());
    }

    /** A python3-libtorrent peer (lt_peer.py): TORRENT is a file or a magnet link. */
    Process libtorrent(String name, String torrent, Path saveDir, String mode, int timeoutSeconds) throws IOException {
        return libtorrent(name, torrent, saveDir, mode, timeoutSeconds, Map.of());
    }

    /** The same with environment for lt_peer.py (LT_ENCRYPTION=forced: encrypted connections only). */
    Process libtorrent(String name, String torrent, Path saveDir, String mode, int timeoutSeconds,
                       Map<String, String> environment) throws IOException {
        ProcessBuilder builder = new ProcessBuilder("/usr/bin/python3", LT_PEER.toString(), torrent, saveDir.toString(),
                Integer.toString(Ports.free()), mode, Integer.toString(timeoutSeconds));
        builder.environment().putAll(environment);
        return start(name, builder);
    }

    /** aria2c as CLIENTS.md runs it: no DHT, local discovery or peer exchange; exits 0 once complete. */
    void aria2c(String torrentOrMagnet, Path into, String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of("aria2c", "--dir=" + into, "--enable-dht=false", "--enable-dht6=false",
                "--bt-enable-lpd=false", "--enable-peer-exchange=false", "--disable-ipv6=true",
                "--listen-port=" + Ports.free(), "--seed-time=0", "--file-allocation=none", "--summary-interval=0",
                "--bt-stop-timeout=120", "--follow-torrent=false"));
        command.addAll(List.of(options));
        command.add(torrentOrMagnet);
        run(Duration.ofMinutes(3), command.toArray(String[]::new));
    }

    String run(String... command) throws Exception {
        return run(Duration.ofSeconds(60), command);
    }

    /** Runs a command to its end; fails the test on a timeout or a non-zero exit, with every log. */
    String run(Duration timeout, String... command) throws Exception {
        Path dir = testDir.get();
        Path log = Files.createTempFile(dir, "run-", ".log");
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish in " + timeout + ":\n"
                    + Files.readString(log) + "\n" + logs());
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), String.join(" ", command) + ":\n" + output + "\n" + logs());
        return output;
    }

    /** Waits until the condition holds; fails with every client's log if it does not within the time. */
    void await(String what, BooleanSupplier condition, int seconds) throws Exception {
        long deadline = System.currentTimeMillis() + seconds * 1000L;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError(what + " did not happen within " + seconds + " s; client logs:\n" + logs());
            }
            Thread.sleep(250);
        }
    }

    /** The last 3,000 characters of every log in the test's directory. */
    String logs() throws IOException {
        StringBuilder out = new StringBuilder();
        try (var files = Files.list(testDir.get())) {
            for (Path log : files.filter(p -> p.toString().endsWith(".log")).sorted().toList()) {
                String text = Files.readString(log, StandardCharsets.UTF_8);
                out.append("--- ").append(log.getFileName()).append('\n')
                        .append(text.length() > 3000 ? text.substring(text.length() - 3000) : text).append('\n');
            }
        }
        return out.toString();
    }

    static int status(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    static String get(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** What a command prints, whatever its exit; empty if it cannot run (for polling, e.g. transmission-remote). */
    static String output(String... command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            process.waitFor(10, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** Stops every process this test started (SIGTERM, then SIGKILL after 10 s). */
    @Override
    public void afterEach(ExtensionContext context) throws InterruptedException {
        for (Process process : started) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        started.clear();
    }
}
