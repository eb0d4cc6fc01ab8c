package io.shoal.bench;

import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectArgs;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * One file uploaded through the gateway beside the same bytes put straight into the store with the
 * MinIO SDK, alternating, in one run: the gateway's cost over the store's own speed, and how long after
 * its last byte an upload is answered (the .torrent is served by then).
 *
 * <p>Arguments: the stack's state file (stack.properties, from {@code ./shoal up -d}), the file, rounds.
 */
public final class UploadBenchmark {

    private static final long PART = 16L * 1024 * 1024;
    /** The last answer's Server-Timing header: where the gateway says the time went. */
    private static String lastTiming = "";

    public static void main(String[] args) throws Exception {
        Properties stack = new Properties();
        try (InputStream in = Files.newInputStream(Path.of(args[0]))) {
            stack.load(in);
        }
        Path file = Path.of(args[1]);
        int rounds = Integer.parseInt(args[2]);
        long size = Files.size(file);
        URI gateway = URI.create(stack.getProperty("gateway.url"));
        String token = stack.getProperty("api.token");
        String bucket = stack.getProperty("s3.bucket");
        List<Double> direct = new ArrayList<>();
        List<Double> through = new ArrayList<>();
        List<Double> answer = new ArrayList<>();
        List<Double> storeFinish = new ArrayList<>();
        try (MinioClient store = MinioClient.builder().endpoint(stack.getProperty("s3.endpoint"))
                .credentials(stack.getProperty("s3.access-key"), stack.getProperty("s3.secret-key"))
                .region("us-east-1").build()) {
            for (int round = 1; round <= rounds; round++) {
                String key = "bench/direct-" + round;
                long start = System.nanoTime();
                try (InputStream in = Files.newInputStream(file)) {
                    store.putObject(PutObjectArgs.builder().bucket(bucket).object(key).stream(in, size, PART).build());
                }
                direct.add(seconds(start));
                store.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(key).build());

                // A fresh name each round, and content the store has not seen: prefix the round number.
                double[] timing = put(gateway, token, "bench-" + System.currentTimeMillis() + ".bin", file, size, round);
                through.add(timing[0]);
                answer.add(timing[1]);
                storeFinish.add(timing[2]);
                System.err.printf("round %d: direct %.2f s, gateway %.2f s, answered %.3f s after the last byte"
                                + " (of which the store finishing the object %.3f s); the gateway's Server-Timing: %s%n",
                        round, direct.getLast(), through.getLast(), answer.getLast(), storeFinish.getLast(), lastTiming);
            }
        }
        double mib = size / 1048576.0;
        double d = median(direct);
        double g = median(through);
        double a = median(answer);
        double s = median(storeFinish);
        System.out.printf("| upload %.0f MiB (median of %d) | gateway %.2f s (%.0f MiB/s) | MinIO SDK straight to the store %.2f s (%.0f MiB/s) | ratio %.2f "
                        + "| last byte to 201: %.3f s, of which the store completing the multipart object %.3f s, Shoal %.3f s |%n",
                mib, rounds, g, mib / g, d, mib / d, g / d, a, s, a - s);
    }

    /**
     * A raw HTTP PUT, so the moment the last byte leaves is known: {time to the answer, time from the last
     * byte to the status line, the store's part of that (from the gateway's Server-Timing)}. The first 8 bytes are replaced by the round number so each round's content is new.
     */
    private static double[] put(URI gateway, String token, String name, Path file, long size, int round) throws IOException {
        try (Socket socket = new Socket(gateway.getHost(), gateway.getPort());
             InputStream in = Files.newInputStream(file)) {
            socket.setSendBufferSize(4 * 1024 * 1024);
            OutputStream out = socket.getOutputStream();
            String head = "PUT /api/v1/artifacts/" + name + " HTTP/1.1\r\nHost: " + gateway.getHost() + "\r\n"
                    + "Authorization: Bearer " + token + "\r\nContent-Length: " + size + "\r\n"
                    + "Content-Type: application/octet-stream\r\nConnection: close\r\n\r\n";
            long start = System.nanoTime();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            byte[] buffer = new byte[1024 * 1024];
            boolean first = true;
            int n;
            while ((n = in.read(buffer)) > 0) {
                if (first) {
                    for (int i = 0; i < 8 && i < n; i++) {
                        buffer[i] = (byte) (round >>> (8 * i));
                    }
                    buffer[8 % n] ^= (byte) System.nanoTime();
                    first = false;
                }
                out.write(buffer, 0, n);
            }
            out.flush();
            long lastByte = System.nanoTime();
            BufferedReader reader = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            String status = reader.readLine();
            long answered = System.nanoTime();
            double store = 0;
            for (String line = reader.readLine(); line != null && !line.isEmpty(); line = reader.readLine()) {
                if (line.regionMatches(true, 0, "server-timing:", 0, 14)) {
                    lastTiming = line.substring(14).strip();
                }
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)^server-timing:.*store;dur=(\\d+)").matcher(line);
                if (m.find()) {
                    store = Long.parseLong(m.group(1)) / 1000.0;
                }
            }
            if (status == null || !status.contains(" 201 ")) {
                StringBuilder rest = new StringBuilder(String.valueOf(status));
                reader.lines().limit(30).forEach(l -> rest.append('\n').append(l));
                throw new IOException("the gateway answered: " + rest);
            }
            return new double[] {(answered - start) / 1e9, (answered - lastByte) / 1e9, store};
        }
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
