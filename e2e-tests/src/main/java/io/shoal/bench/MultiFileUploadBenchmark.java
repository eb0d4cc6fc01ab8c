package io.shoal.bench;

import java.io.IOException;
import java.io.InputStream;
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
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Large multi-file POSTs against a running stack, with the gateway's heap watched while they run: a form of
 * 10,000 files of mixed sizes (the limit) and one of 100 files of 100 MiB. The form is generated as it is sent
 * (nothing on disk); the gateway's used heap is read from its metrics every 100 ms.
 *
 * <p>Arguments: the stack's state file (stack.properties, from {@code ./shoal up -d}), then scenarios:
 * {@code mixed} and/or {@code large}.
 */
public final class MultiFileUploadBenchmark {

    private static final String BOUNDARY = "shoal-bench-boundary-7d1f0c";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** One file of the form: its path and size; its bytes come from a seeded generator. */
    record FileSpec(String path, long size, long seed) {
    }

    public static void main(String[] args) throws Exception {
        Properties stack = new Properties();
        try (InputStream in = Files.newInputStream(Path.of(args[0]))) {
            stack.load(in);
        }
        for (int i = 1; i < args.length; i++) {
            List<FileSpec> files = switch (args[i]) {
                case "mixed" -> mixed(10_000);
                case "large" -> large(100, 100L * 1024 * 1024);
                default -> throw new IllegalArgumentException("scenario '" + args[i] + "' (expected: mixed or large)");
            };
            run(stack, args[i], files);
        }
    }

    /** Mostly small files, some of hundreds of KiB, a few of MiB: what a build output or a model directory holds. */
    static List<FileSpec> mixed(int count) {
        Random random = new Random(10_000);
        List<FileSpec> files = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            double kind = random.nextDouble();
            long size = kind < 0.80 ? random.nextInt(16 * 1024) : kind < 0.98 ? 16 * 1024 + random.nextInt(496 * 1024)
                    : 1024 * 1024 + random.nextInt(7 * 1024 * 1024);
            files.add(new FileSpec(String.format("d%03d/f%05d.bin", i % 100, i), size, i));
        }
        return files;
    }

    static List<FileSpec> large(int count, long size) {
        List<FileSpec> files = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            files.add(new FileSpec(String.format("part-%03d.bin", i), size, 1_000_000 + i));
        }
        return files;
    }

    private static void run(Properties stack, String scenario, List<FileSpec> files) throws Exception {
        String gateway = stack.getProperty("gateway.url");
        String name = "bench-" + scenario + "-" + System.currentTimeMillis();
        long bytes = files.stream().mapToLong(FileSpec::size).sum();
        long length = new MultipartStream(name, files).length();
        AtomicLong peakHeap = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        Thread watcher = new Thread(() -> {
            while (running.get()) {
                heapUsed(gateway).ifPresent(used -> peakHeap.accumulateAndGet(used, Math::max));
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        watcher.start();
        long start = System.nanoTime();
        HttpRequest request = HttpRequest.newBuilder(URI.create(gateway + "/api/v1/artifacts"))
                .timeout(Duration.ofHours(1))
                .header("Authorization", "Bearer " + stack.getProperty("api.token"))
                .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                .POST(HttpRequest.BodyPublishers.fromPublisher(
                        HttpRequest.BodyPublishers.ofInputStream(() -> new MultipartStream(name, files)), length))
                .build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        double seconds = (System.nanoTime() - start) / 1e9;
        running.set(false);
        watcher.join();
        if (response.statusCode() != 201) {
            throw new IOException("the gateway answered " + response.statusCode() + ": " + response.body());
        }
        System.out.printf("| %s: %,d files, %.2f GiB | %d | %.1f s (%.0f MiB/s) | %.0f MiB |%n", scenario, files.size(),
                bytes / 1073741824.0, response.statusCode(), seconds, bytes / 1048576.0 / seconds, peakHeap.get() / 1048576.0);
    }

    /** The gateway's heap in use now (the sum of its heap pools), from its Prometheus metrics. */
    private static Optional<Long> heapUsed(String gateway) {
        try {
            String metrics = HTTP.send(HttpRequest.newBuilder(URI.create(gateway + "/q/metrics")).timeout(Duration.ofSeconds(2)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            return Optional.of(metrics.lines().filter(l -> l.startsWith("jvm_memory_used_bytes{") && l.contains("area=\"heap\""))
                    .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** multipart/form-data with a name field and the files, generated as it is read. */
    static final class MultipartStream extends InputStream {
        private final String name;
        private final List<FileSpec> files;
        private int file = -1;
        private byte[] head;
        private int headAt;
        private long left;
        private SplittableRandom bytes;
        private boolean ended;
        private final byte[] chunk = new byte[64 * 1024];

        MultipartStream(String name, List<FileSpec> files) {
            this.name = name;
            this.files = files;
            this.head = ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\n" + name + "\r\n")
                    .getBytes(StandardCharsets.UTF_8);
        }

        private static byte[] partHead(FileSpec spec) {
            return ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + spec.path()
                    + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        }

        /** The whole body's length, for the Content-Length. */
        long length() {
            long total = head.length;
            for (FileSpec spec : files) {
                total += partHead(spec).length + spec.size() + 2;
            }
            return total + ("--" + BOUNDARY + "--\r\n").length();
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] into, int offset, int length) {
            while (true) {
                if (headAt < head.length) {
                    int n = Math.min(length, head.length - headAt);
                    System.arraycopy(head, headAt, into, offset, n);
                    headAt += n;
                    return n;
                }
                if (left > 0) {
                    int n = (int) Math.min(Math.min(length, chunk.length), left);
                    for (int i = 0; i < n; i += 8) {
                        long value = bytes.nextLong();
                        for (int j = 0; j < 8 && i + j < n; j++) {
                            into[offset + i + j] = (byte) (value >>> (8 * j));
                        }
                    }
                    left -= n;
                    return n;
                }
                if (ended) {
                    return -1;
                }
                file++;
                String separator = file == 0 ? "" : "\r\n";
                if (file == files.size()) {
                    head = (separator + "--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII);
                    ended = true;
                } else {
                    FileSpec spec = files.get(file);
                    byte[] part = partHead(spec);
                    byte[] sep = separator.getBytes(StandardCharsets.US_ASCII);
                    head = new byte[sep.length + part.length];
                    System.arraycopy(sep, 0, head, 0, sep.length);
                    System.arraycopy(part, 0, head, sep.length, part.length);
                    left = spec.size();
                    bytes = new SplittableRandom(spec.seed());
                }
                headAt = 0;
            }
        }
    }
}
