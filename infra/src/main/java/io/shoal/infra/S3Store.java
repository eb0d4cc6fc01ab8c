package io.shoal.infra;

import io.minio.BucketExistsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.errors.MinioException;
import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

/**
 * An S3-compatible store that the MinIO Java SDK works against: s3proxy (from Maven Central) over a
 * filesystem directory, run as a child process because its fat jar carries its own Jetty and Guava.
 */
public final class S3Store implements AutoCloseable {

    public static final String REGION = "us-east-1";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final String endpoint;
    private final String accessKey;
    private final String secretKey;

    private S3Store(Process process, String endpoint, String accessKey, String secretKey) {
        this.process = process;
        this.endpoint = endpoint;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
    }

    public static S3Store start(Path dir, int port, String accessKey, String secretKey, Path jar,
                                Path logFile, String javaMarker) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IOException("s3proxy jar not found at " + jar + " (build the infra module first)");
        }
        Path blobs = dir.resolve("blobs");
        Files.createDirectories(blobs);
        String endpoint = "http://127.0.0.1:" + port;
        Properties p = new Properties();
        p.put("s3proxy.endpoint", endpoint);
        p.put("s3proxy.authorization", "aws-v2-or-v4");
        p.put("s3proxy.identity", accessKey);
        p.put("s3proxy.credential", secretKey);
        p.put("jclouds.provider", "filesystem");
        p.put("jclouds.filesystem.basedir", blobs.toAbsolutePath().toString());
        Path config = dir.resolve("s3proxy.properties");
        try (Writer out = Files.newBufferedWriter(config)) {
            p.store(out, "written by Shoal's local stack on every start");
        }
        Process process = new ProcessBuilder(ChildProcesses.java(), "-Xmx256m", javaMarker,
                "-jar", jar.toString(), "--properties", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .start();
        S3Store store = new S3Store(process, endpoint, accessKey, secretKey);
        try {
            store.awaitReady(logFile);
        } catch (IOException | RuntimeException e) {
            store.close();
            throw e;
        }
        return store;
    }

    /** Any HTTP answer (s3proxy says 403 to an anonymous GET) means it is listening. */
    private void awaitReady(Path logFile) throws IOException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        HttpRequest probe = HttpRequest.newBuilder(URI.create(endpoint + "/")).timeout(Duration.ofSeconds(2)).build();
        try (HttpClient http = HttpClient.newHttpClient()) {
            while (true) {
                if (!process.isAlive()) {
                    throw new IOException("s3proxy exited with status " + process.exitValue() + "; see " + logFile);
                }
                try {
                    http.send(probe, HttpResponse.BodyHandlers.discarding());
                    return;
                } catch (IOException e) {
                    if (System.nanoTime() > deadline) {
                        throw new IOException("s3proxy on " + endpoint + " not ready after "
                                + READY_TIMEOUT.toSeconds() + " s; see " + logFile, e);
                    }
                    Thread.sleep(100);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for s3proxy", e);
        }
    }

    public String endpoint() {
        return endpoint;
    }

    public String accessKey() {
        return accessKey;
    }

    public String secretKey() {
        return secretKey;
    }

    public long pid() {
        return process.pid();
    }

    public MinioClient client() {
        return MinioClient.builder().endpoint(endpoint).credentials(accessKey, secretKey).region(REGION).build();
    }

    public void createBucket(String bucket) throws IOException {
        try (MinioClient client = client()) {
            if (!client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
                client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
            }
        } catch (MinioException e) {
            throw new IOException("creating bucket " + bucket + " failed: " + e.getMessage(), e);
        } catch (Exception e) {
            throw new IOException("closing the S3 client failed", e);
        }
    }

    @Override
    public void close() {
        ChildProcesses.stop(process.toHandle(), Duration.ofSeconds(10));
    }
}
