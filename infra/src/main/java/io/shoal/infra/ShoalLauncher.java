package io.shoal.infra;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

/**
 * {@code ./shoal up|down|status}: runs the local stack in the foreground (the script detaches it for
 * {@code up -d}) and keeps a state file, {@code $SHOAL_HOME/stack.properties}, with every process it
 * started, so {@code down} stops exactly those, even after this JVM was killed.
 */
public final class ShoalLauncher {

    private static final String STATE_FILE = "stack.properties";
    private static final String SUMMARY_FILE = "summary.txt";

    private final StackSettings settings;

    private ShoalLauncher(StackSettings settings) {
        this.settings = settings;
    }

    public static void main(String[] args) throws Exception {
        String command = args.length == 0 ? "up" : args[0];
        ShoalLauncher launcher;
        try {
            launcher = new ShoalLauncher(StackSettings.fromEnvironment(System.getenv(), RepoLayout.find()));
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("shoal: " + e.getMessage());
            System.exit(2);
            return;
        }
        int status = switch (command) {
            case "up" -> launcher.up();
            case "down" -> launcher.down();
            case "status" -> launcher.status();
            default -> {
                System.err.println("shoal: unknown command '" + command + "' (expected: up, down, status)");
                yield 2;
            }
        };
        System.exit(status);
    }

    private int up() throws IOException, InterruptedException {
        Optional<ProcessHandle> running = runningSupervisor();
        if (running.isPresent()) {
            System.err.println("shoal: Shoal is already running from " + settings.home() + " (pid "
                    + running.get().pid() + "); './shoal status' shows where, './shoal down' stops it");
            return 1;
        }
        try {
            settings.requireLocalPublicAddress();
        } catch (IllegalArgumentException e) {
            System.err.println("shoal: " + e.getMessage());
            return 1;
        }
        int leftovers = stopLeftovers();
        if (leftovers > 0) {
            System.out.println("stopped " + leftovers + " process(es) left behind by an earlier run");
        }
        List<String> busy = busyPorts();
        if (!busy.isEmpty()) {
            System.err.println("shoal: ports already in use: " + String.join(", ", busy)
                    + "\n  stop what holds them, or move Shoal with the variables named above");
            return 1;
        }

        long begin = System.nanoTime();
        System.out.println("starting Shoal from " + settings.home());
        LocalStack stack = new LocalStack(settings);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            System.out.println("stopping Shoal…");
            stack.close();
            writeState("stopped", stack);
            stopped.countDown();
            System.out.println("Shoal stopped");
        }, "shoal-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        writeState("starting", stack);
        try {
            stack.start(line -> {
                System.out.println("  " + line);
                writeState("starting", stack);
            });
        } catch (IOException | RuntimeException e) {
            System.err.println("shoal: start failed: " + e.getMessage());
            return 1; // the shutdown hook stops what did start
        }
        writeState("ready", stack);
        String summary = String.format("""
                Shoal is ready (%.1f s)
                  gateway:   %s
                  announce:  %s
                  API token: %s
                  logs:      %s
                Stop it with ./shoal down (or Ctrl-C when it runs in the foreground).
                """, (System.nanoTime() - begin) / 1e9, settings.gatewayUrl(), settings.announceUrl(),
                settings.apiToken(), settings.home().resolve("logs"));
        Files.writeString(settings.home().resolve(SUMMARY_FILE), summary);
        System.out.print(summary);
        stack.onServiceExit(report -> System.err.println("shoal: " + report));
        stopped.await();
        return 0;
    }

    private int down() throws IOException {
        Optional<ProcessHandle> supervisor = runningSupervisor();
        if (supervisor.isPresent()) {
            System.out.println("stopping Shoal (pid " + supervisor.get().pid() + ")…");
            ChildProcesses.stop(supervisor.get(), Duration.ofSeconds(90));
        }
        int leftovers = stopLeftovers();
        if (supervisor.isEmpty() && leftovers == 0) {
            System.out.println("Shoal is not running from " + settings.home());
        } else {
            System.out.println("Shoal stopped" + (leftovers > 0 ? " (" + leftovers + " leftover process(es) stopped)" : ""));
        }
        return 0;
    }

    private int status() throws IOException {
        Optional<ProcessHandle> supervisor = runningSupervisor();
        if (supervisor.isEmpty()) {
            System.out.println("Shoal is not running from " + settings.home());
            return 3;
        }
        Properties state = readState();
        System.out.println("Shoal is " + state.getProperty("state", "starting") + " (pid " + supervisor.get().pid() + ")");
        Path summary = settings.home().resolve(SUMMARY_FILE);
        if ("ready".equals(state.getProperty("state")) && Files.exists(summary)) {
            System.out.print(Files.readString(summary));
        }
        return 0;
    }

    /** The supervisor JVM named by the state file, if it is alive and really is this work directory's. */
    private Optional<ProcessHandle> runningSupervisor() throws IOException {
        String pid = readState().getProperty("supervisor.pid");
        return pid == null ? Optional.empty() : ownProcess(Long.parseLong(pid));
    }

    private Optional<ProcessHandle> ownProcess(long pid) {
        if (pid == ProcessHandle.current().pid()) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().map(line -> line.contains(settings.home().toString())).orElse(false));
    }

    /** Children recorded by an earlier run whose supervisor is gone (killed, or the machine lost power). */
    private int stopLeftovers() throws IOException {
        String recorded = readState().getProperty("child.pids", "");
        int count = 0;
        for (String pid : recorded.split(",")) {
            if (pid.isBlank()) {
                continue;
            }
            Optional<ProcessHandle> child = ownProcess(Long.parseLong(pid.trim()));
            if (child.isPresent()) {
                ChildProcesses.stop(child.get(), Duration.ofSeconds(20));
                count++;
            }
        }
        return count;
    }

    private List<String> busyPorts() {
        List<String> busy = new ArrayList<>();
        var b = settings.backing();
        check(busy, b.kafka(), "Kafka (SHOAL_KAFKA_PORT)");
        check(busy, b.kafkaController(), "Kafka controller (SHOAL_KAFKA_CONTROLLER_PORT)");
        check(busy, b.postgres(), "PostgreSQL (SHOAL_POSTGRES_PORT)");
        check(busy, b.s3(), "S3 store (SHOAL_S3_PORT)");
        settings.httpPorts().forEach((service, port) ->
                check(busy, port, service.module() + " (" + StackSettings.portVariable(service) + ")"));
        settings.managementPorts().forEach((service, port) -> {
            if (service.separateManagementPort()) {
                check(busy, port, service.module() + " health and metrics (" + StackSettings.managementPortVariable(service) + ")");
            }
        });
        check(busy, settings.peerPort(), "seeder peer wire (SHOAL_PEER_PORT)");
        if (Ports.udpInUse(settings.peerPort())) {
            busy.add(settings.peerPort() + " (UDP) for the seeder's DHT node (SHOAL_PEER_PORT)");
        }
        if (Ports.udpInUse(settings.trackerDhtPort())) {
            busy.add(settings.trackerDhtPort() + " (UDP) for the tracker's DHT node (SHOAL_TRACKER_DHT_PORT)");
        }
        return busy;
    }

    private static void check(List<String> busy, int port, String what) {
        if (Ports.inUse(port)) {
            busy.add(port + " for " + what);
        }
    }

    private Properties readState() throws IOException {
        Properties state = new Properties();
        Path file = settings.home().resolve(STATE_FILE);
        if (Files.exists(file)) {
            try (Reader in = Files.newBufferedReader(file)) {
                state.load(in);
            }
        }
        return state;
    }

    private synchronized void writeState(String phase, LocalStack stack) {
        Properties state = new Properties();
        state.setProperty("state", phase);
        state.setProperty("supervisor.pid", Long.toString(ProcessHandle.current().pid()));
        state.setProperty("updated", Instant.now().toString());
        state.setProperty("child.pids", stack.childPids().stream().map(String::valueOf).collect(Collectors.joining(",")));
        for (Map.Entry<String, String> entry : stack.describe().entrySet()) {
            state.setProperty(entry.getKey(), entry.getValue());
        }
        Path file = settings.home().resolve(STATE_FILE);
        Path tmp = settings.home().resolve(STATE_FILE + ".tmp");
        try {
            // It holds every local secret (the API token, the store's and the database's passwords): its owner's only.
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (Writer out = Files.newBufferedWriter(tmp)) {
                state.store(out, "Shoal's local stack; written by the launcher, read by ./shoal and the tests");
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            System.err.println("shoal: cannot write " + file + ": " + e.getMessage());
        }
    }
}
