package io.shoal.e2e;

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
import java.util.concurrent.TimeUnit;

/**
 * A whole Shoal stack started the way users start it ({@code ./shoal up -d}), on free ports in a
 * scratch directory, for tests that drive it end to end. {@link #close()} runs {@code ./shoal down}.
 */
final class LocalShoal implements AutoCloseable {

    private final Path root = RepoLayout.find().root();
    private final Map<String, String> env = new HashMap<>();
    private final Path home;
    private final Properties state = new Properties();

    private LocalShoal() throws IOException {
        home = Files.createTempDirectory("shoal-e2e-");
        env.put("SHOAL_HOME", home.toString());
        env.put("SHOAL_SKIP_BUILD", "1"); // the Maven build running the tests has just packaged everything
        List<String> variables = new ArrayList<>(StackSettings.OTHER_PORT_VARIABLES);
        for (ShoalService service : ShoalService.values()) {
            variables.add(StackSettings.portVariable(service));
            if (service.separateManagementPort()) {
                variables.add(StackSettings.managementPortVariable(service));
            }
        }
        for (String variable : variables) {
            env.put(variable, Integer.toString(Ports.free()));
        }
    }

    static LocalShoal up() throws IOException, InterruptedException {
        return up(Map.of());
    }

    /** @param environment settings for the services, e.g. {@code SHOAL_TRACKER_INTERVAL} */
    static LocalShoal up(Map<String, String> environment) throws IOException, InterruptedException {
        LocalShoal shoal = new LocalShoal();
        shoal.env.putAll(environment);
        String output = shoal.shoal("up", "-d");
        try (Reader in = Files.newBufferedReader(shoal.home.resolve("stack.properties"))) {
            shoal.state.load(in);
        } catch (IOException e) {
            shoal.close();
            throw new IOException("./shoal up -d failed:\n" + output, e);
        }
        return shoal;
    }

    /** A value from the stack's state file: gateway.url, api.token, s3.endpoint, postgres.jdbc.url, … */
    String get(String key) {
        String value = state.getProperty(key);
        if (value == null) {
            throw new IllegalArgumentException("no " + key + " in the state file");
        }
        return value;
    }

    Path home() {
        return home;
    }

    Path log(String module) {
        return home.resolve("logs").resolve(module + ".log");
    }

    private String shoal(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(root.resolve("shoal").toString());
        command.addAll(List.of(args));
        Path output = Files.createTempFile("shoal-", ".out");
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile())
                    .redirectErrorStream(true).redirectOutput(output.toFile());
            builder.environment().putAll(env);
            Process process = builder.start();
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IOException("./shoal " + String.join(" ", args) + " did not finish in 5 minutes");
            }
            return Files.readString(output, StandardCharsets.UTF_8);
        } finally {
            Files.deleteIfExists(output);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            shoal("down");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            WorkDirectories.deleteRecursively(home);
        }
    }
}
