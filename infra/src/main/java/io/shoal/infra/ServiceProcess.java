package io.shoal.infra;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** One Shoal service running as its own JVM from its packaged Quarkus app. */
final class ServiceProcess implements AutoCloseable {

    private final ShoalService service;
    private final Process process;
    private final String url;
    private final String managementUrl;
    private final Path logFile;

    private ServiceProcess(ShoalService service, Process process, String url, String managementUrl, Path logFile) {
        this.service = service;
        this.process = process;
        this.url = url;
        this.managementUrl = managementUrl;
        this.logFile = logFile;
    }

    /**
     * @param config Quarkus property names and values; passed as environment variables, the way the
     *               compose file and the Kubernetes manifests configure the same service
     */
    static ServiceProcess start(ShoalService service, Path jar, String httpHost, int httpPort, int managementPort,
                                Map<String, String> config, Path logFile, String javaMarker) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IOException(service.module() + " is not built: " + jar + " is missing");
        }
        // Not the repository's root: Quarkus reads a .env file in its working directory as configuration, and
        // the root's .env is docker-compose's (placeholders the services rightly refuse).
        ProcessBuilder builder = new ProcessBuilder(List.of(ChildProcesses.java(),
                "-Xmx" + service.maxHeap(), javaMarker, "-jar", jar.toString()))
                .directory(logFile.getParent().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        Map<String, String> env = builder.environment();
        config.forEach((name, value) -> env.put(ShoalService.environmentName(name), value));
        env.put("QUARKUS_HTTP_HOST", httpHost);
        env.put("QUARKUS_HTTP_PORT", Integer.toString(httpPort));
        if (service.separateManagementPort()) {
            env.put("QUARKUS_MANAGEMENT_HOST", "127.0.0.1");
            env.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort));
        }
        String urlHost = StackSettings.urlHost(httpHost);
        return new ServiceProcess(service, builder.start(), "http://" + urlHost + ":" + httpPort,
                "http://" + (service.separateManagementPort() ? StackSettings.LOOPBACK : urlHost) + ":" + managementPort,
                logFile);
    }

    /** Waits until {@code /q/health/ready} answers 200; fails early, with the log's tail, if the JVM exits. */
    void awaitReady(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(managementUrl + "/q/health/ready"))
                .timeout(Duration.ofSeconds(5)).build();
        String lastAnswer = "no answer";
        try (HttpClient http = HttpClient.newHttpClient()) {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IOException(service.module() + " exited with status " + process.exitValue()
                            + " before it was ready; the end of " + logFile + ":\n" + tail(logFile, 20));
                }
                try {
                    HttpResponse<String> answer = http.send(probe, HttpResponse.BodyHandlers.ofString());
                    if (answer.statusCode() == 200) {
                        return;
                    }
                    lastAnswer = answer.statusCode() + " " + answer.body();
                } catch (IOException e) {
                    lastAnswer = e.toString();
                }
                Thread.sleep(250);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + service.module(), e);
        }
        throw new IOException(service.module() + " not ready after " + timeout.toSeconds() + " s (last answer: "
                + lastAnswer + "); see " + logFile);
    }

    static String tail(Path file, int lines) {
        try {
            List<String> all = Files.readAllLines(file);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    ShoalService service() {
        return service;
    }

    String url() {
        return url;
    }

    /** Health, readiness and metrics: {@link ShoalService#defaultManagementPort()}. */
    String managementUrl() {
        return managementUrl;
    }

    long pid() {
        return process.pid();
    }

    Process process() {
        return process;
    }

    Path logFile() {
        return logFile;
    }

    @Override
    public void close() {
        ChildProcesses.stop(process.toHandle(), service.stopGrace());
    }
}
