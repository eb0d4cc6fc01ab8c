package io.shoal.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the protocol library's benchmarks and, in the same run on the same machine, the references they
 * are judged against (JDK MessageDigest, {@code openssl speed}); prints a Markdown table in MB/s
 * (10^6 bytes a second). A benchmark, not a test: it reports, it does not assert.
 */
public final class ProtocolBenchmarks {

    private ProtocolBenchmarks() {
    }

    public static void main(String[] args) throws Exception {
        int iterations = Integer.getInteger("bench.iterations", 5);
        Options options = new OptionsBuilder()
                .include(BencodeBenchmark.class.getSimpleName())
                .include(MessageDigestBenchmark.class.getSimpleName())
                .include(PieceHashingBenchmark.class.getSimpleName())
                .forks(1)
                .warmupIterations(3).warmupTime(TimeValue.seconds(2))
                .measurementIterations(iterations).measurementTime(TimeValue.seconds(3))
                .jvmArgsAppend("-Xmx2g")
                .build();
        Collection<RunResult> results = new Runner(options).run();
        Map<String, double[]> mbps = new LinkedHashMap<>();
        for (RunResult result : results) {
            String name = result.getParams().getBenchmark().replaceAll(".*\\.(\\w+)\\.(\\w+)$", "$1.$2");
            String threads = result.getParams().getParam("threads");
            if (threads != null) {
                name += "@" + threads;
            }
            double score = result.getPrimaryResult().getScore();
            double error = result.getPrimaryResult().getScoreError();
            mbps.put(name, name.startsWith("BencodeBenchmark")
                    ? new double[] {score * BencodeBenchmark.SIZE / 1e6, error * BencodeBenchmark.SIZE / 1e6}
                    : new double[] {PieceHashingBenchmark.SIZE / (score / 1000) / 1e6,
                            PieceHashingBenchmark.SIZE / (score / 1000) / 1e6 * error / score});
        }
        double sha1 = mbps.get("MessageDigestBenchmark.sha1")[0];
        double sha256 = mbps.get("MessageDigestBenchmark.sha256")[0];
        double both = 1 / (1 / sha1 + 1 / sha256);
        double opensslSha1 = openssl("sha1");
        double opensslSha256 = openssl("sha256");

        StringBuilder table = new StringBuilder();
        table.append("| benchmark | MB/s | reference (same run) | ratio |\n|---|---:|---|---:|\n");
        row(table, "bencode: decode a 1 MiB .torrent (8,000 files)", mbps.get("BencodeBenchmark.decodeOneMiB"), "", Double.NaN);
        row(table, "SHA-1, JDK MessageDigest, 1 core", mbps.get("MessageDigestBenchmark.sha1"),
                String.format("openssl speed sha1: %.0f", opensslSha1), sha1 / opensslSha1);
        row(table, "SHA-256, JDK MessageDigest, 1 core", mbps.get("MessageDigestBenchmark.sha256"),
                String.format("openssl speed sha256: %.0f", opensslSha256), sha256 / opensslSha256);
        row(table, "PieceHasher v1, 1 thread", mbps.get("PieceHashingBenchmark.pieceHasherV1@1"),
                String.format("MessageDigest SHA-1: %.0f", sha1), mbps.get("PieceHashingBenchmark.pieceHasherV1@1")[0] / sha1);
        row(table, "PieceHasher hybrid (SHA-1 + SHA-256 merkle), 1 thread", mbps.get("PieceHashingBenchmark.pieceHasherHybrid@1"),
                String.format("MessageDigest SHA-1 then SHA-256: %.0f", both), mbps.get("PieceHashingBenchmark.pieceHasherHybrid@1")[0] / both);
        row(table, "PieceHasher v1, 2 threads", mbps.get("PieceHashingBenchmark.pieceHasherV1@2"),
                "PieceHasher v1, 1 thread", mbps.get("PieceHashingBenchmark.pieceHasherV1@2")[0] / mbps.get("PieceHashingBenchmark.pieceHasherV1@1")[0]);
        row(table, "PieceHasher hybrid, 2 threads", mbps.get("PieceHashingBenchmark.pieceHasherHybrid@2"),
                "PieceHasher hybrid, 1 thread", mbps.get("PieceHashingBenchmark.pieceHasherHybrid@2")[0] / mbps.get("PieceHashingBenchmark.pieceHasherHybrid@1")[0]);
        System.out.println();
        System.out.println("Machine: " + Runtime.getRuntime().availableProcessors() + " cores, "
                + System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        System.out.print(table);
    }

    private static void row(StringBuilder table, String what, double[] value, String reference, double ratio) {
        table.append(String.format("| %s | %.0f ± %.0f | %s | %s |%n", what, value[0], value[1], reference,
                Double.isNaN(ratio) ? "" : String.format("%.2f", ratio)));
    }

    /** {@code openssl speed -evp ALG} on 16 KiB blocks, in MB/s; NaN when openssl is not installed. */
    static double openssl(String algorithm) throws InterruptedException {
        try {
            Process process = new ProcessBuilder("openssl", "speed", "-seconds", "3", "-bytes", "16384", "-evp", algorithm)
                    .redirectErrorStream(true).start();
            String output;
            try (InputStream in = process.getInputStream()) {
                output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            process.waitFor(60, TimeUnit.SECONDS);
            for (String line : output.split("\n")) {
                String[] parts = line.trim().split("\\s+");
                if (parts.length == 2 && parts[0].equalsIgnoreCase(algorithm) && parts[1].endsWith("k")) {
                    return Double.parseDouble(parts[1].substring(0, parts[1].length() - 1)) * 1000 / 1e6;
                }
            }
            return Double.NaN;
        } catch (IOException e) {
            return Double.NaN;
        }
    }
}
