package io.shoal.e2e;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shoal.e2e.deploy.MonitoringQueries;
import io.shoal.infra.Ports;
import io.shoal.infra.RepoLayout;
import io.shoal.infra.ShoalService;
import io.shoal.infra.StackSettings;
import io.shoal.infra.WorkDirectories;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The README's start command, as a user runs it: {@code ./shoal up -d}, every service ready, a second
 * {@code up} refused, {@code ./shoal down} leaving nothing behind. Each run gets its own work directory
 * and free ports, so it never touches a developer's own stack.
 */
class ShoalLauncherIT {

    private final Path root = RepoLayout.find().root();
    private final Map<String, String> env = new HashMap<>();
    private Path home;
    private final List<Integer> ports = new ArrayList<>();

    record Run(int exitCode, String output) {
    }

    @BeforeEach
    void freshWorkDirectoryAndPorts() throws IOException {
        home = Files.createTempDirectory("shoal-launcher-it-");
        env.put("SHOAL_HOME", home.toString());
        env.put("SHOAL_SKIP_BUILD", "1"); // the Maven build running this test has just packaged everything
        for (String name : StackSettings.OTHER_PORT_VARIABLES) {
            port(name);
        }
        for (ShoalService service : ShoalService.values()) {
            port(StackSettings.portVariable(service));
            if (service.separateManagementPort()) {
                port(StackSettings.managementPortVariable(service));
            }
        }
    }

    private void port(String variable) {
        int port = Ports.free();
        ports.add(port);
        env.put(variable, Integer.toString(port));
    }

    @AfterEach
    void stopWhateverRuns() throws Exception {
        shoal("down");
        WorkDirectories.deleteRecursively(home);
    }

    private Run shoal(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(root.resolve("shoal").toString());
        command.addAll(List.of(args));
        return run(command, String.join(" ", args));
    }

    private Run run(List<String> command, String what) throws IOException, InterruptedException {
        Path output = Files.createTempFile(home, "shoal-", ".out");
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile())
                .redirectErrorStream(true).redirectOutput(output.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(6, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError(what + " did not finish in 6 minutes:\n"
                    + Files.readString(output));
        }
        return new Run(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }

    private Properties state() throws IOException {
        Properties state = new Properties();
        try (Reader in = Files.newBufferedReader(home.resolve("stack.properties"))) {
            state.load(in);
        }
        return state;
    }

    private Run up() throws Exception {
        Run up = shoal("up", "-d");
        assertEquals(0, up.exitCode(), up.output());
        return up;
    }

    private List<Long> recordedPids(Properties state) {
        List<Long> pids = new ArrayList<>();
        pids.add(Long.parseLong(state.getProperty("supervisor.pid")));
        for (String pid : state.getProperty("child.pids").split(",")) {
            pids.add(Long.parseLong(pid));
        }
        return pids;
    }

    private void assertNothingLeft(List<Long> pids) {
        for (long pid : pids) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "pid " + pid + " still runs");
        }
        for (int port : ports) {
            assertFalse(Ports.inUse(port), "port " + port + " is still bound");
        }
    }

    @Test
    void upStartsEveryServiceAndDownStopsEverything() throws Exception {
        Run up = up();
        Properties state = state();
        String gateway = state.getProperty("gateway.url");
        assertTrue(up.output().contains("Shoal is ready"), up.output());
        assertTrue(up.output().contains("gateway:   " + gateway), up.output());
        assertTrue(up.output().contains("announce:  " + state.getProperty("tracker.announce.url")), up.output());
        assertTrue(up.output().contains("API token: " + state.getProperty("api.token")), up.output());
        assertEquals("http://127.0.0.1:" + env.get("SHOAL_PEER_GATEWAY_PORT"), gateway);
        // Both files hold every local secret: the owner's alone.
        for (String file : List.of("stack.properties", "secrets.properties")) {
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                    Files.getPosixFilePermissions(home.resolve(file))), file);
        }

        for (ShoalService service : ShoalService.values()) {
            String url = state.getProperty("service." + service.module() + ".url");
            String management = state.getProperty("service." + service.module() + ".management.url");
            given().baseUri(management).get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
            given().baseUri(management).get("/q/health/live").then().statusCode(200);
            given().baseUri(management).get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
            given().baseUri(management).get("/q/openapi").then().statusCode(200).body(containsString("Shoal " + service.module()));
            if (service.separateManagementPort()) {
                given().baseUri(url).get("/q/metrics").then().statusCode(404);
            }
        }
        assertEveryMonitoredMetricIsExported(state);
        given().baseUri(gateway).get("/q/health/ready").then()
                .body("checks.name", hasItems("object-store", "Kafka connection health check"));
        given().baseUri(state.getProperty("service.metadata.management.url")).get("/q/health/ready").then()
                .body("checks.name", hasItems("object-store", "Kafka connection health check",
                        "Database connections health check"));

        Run again = shoal("up", "-d");
        assertNotEquals(0, again.exitCode(), again.output());
        assertTrue(again.output().contains("already running"), again.output());
        given().baseUri(gateway).get("/q/health/ready").then().statusCode(200);

        Run status = shoal("status");
        assertEquals(0, status.exitCode(), status.output());
        assertTrue(status.output().contains("Shoal is ready"), status.output());

        List<Long> pids = recordedPids(state);
        assertEquals(1 + 2 + ShoalService.values().length, pids.size(), "supervisor, s3proxy, postmaster, 4 services");
        Run down = shoal("down");
        assertEquals(0, down.exitCode(), down.output());
        assertTrue(down.output().contains("Shoal stopped"), down.output());
        assertNothingLeft(pids);

        Run downAgain = shoal("down");
        assertTrue(downAgain.output().contains("not running"), downAgain.output());
    }

    /** The README's {@code ./shoal up} in a terminal, stopped the way the README says: Ctrl-C. */
    @Test
    void ctrlCAtTheTerminalStopsEverything() throws Exception {
        Path script = home.resolve("ctrl_c.py");
        try (var in = getClass().getResourceAsStream("/ctrl_c.py")) {
            Files.write(script, in.readAllBytes());
        }
        Run terminal = run(List.of("/usr/bin/python3", script.toString(), root.toString()), "./shoal up on a terminal");
        assertEquals(0, terminal.exitCode(), terminal.output());
        assertTrue(terminal.output().contains("Shoal is ready"), terminal.output());
        assertTrue(terminal.output().contains("stopping Shoal"), terminal.output());
        assertNothingLeft(recordedPids(state()));
    }

    @Test
    void downStopsWhatAKilledLauncherLeftBehind() throws Exception {
        up();
        Properties state = state();
        List<Long> pids = recordedPids(state);
        ProcessHandle supervisor = ProcessHandle.of(pids.getFirst()).orElseThrow();
        supervisor.destroyForcibly();
        supervisor.onExit().get(30, TimeUnit.SECONDS);
        assertTrue(ProcessHandle.of(pids.getLast()).map(ProcessHandle::isAlive).orElse(false),
                "the children outlive a SIGKILLed launcher");

        Run down = shoal("down");
        assertEquals(0, down.exitCode(), down.output());
        assertTrue(down.output().contains("leftover"), down.output());
        assertNothingLeft(pids);
    }

    /**
     * Every metric k8s/components/monitoring's dashboard and alerts query is exported by a service of a freshly
     * started stack: the names are registered at start, so an alert on a rate is never blind for want of a
     * first event.
     */
    private static void assertEveryMonitoredMetricIsExported(Properties state) throws IOException {
        Set<String> exported = new TreeSet<>();
        for (ShoalService service : ShoalService.values()) {
            String metrics = given().baseUri(state.getProperty("service." + service.module() + ".management.url"))
                    .get("/q/metrics").then().statusCode(200).extract().asString();
            for (String line : metrics.split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    exported.add(line.split("[{ ]", 2)[0]);
                }
            }
        }
        Set<String> missing = new TreeSet<>(MonitoringQueries.shoalMetricNames());
        assertFalse(missing.isEmpty(), "the dashboard and the alerts query Shoal's metrics");
        missing.removeAll(exported);
        assertEquals(Set.of(), missing, "queried by k8s/components/monitoring but exported by no service");
    }
}
