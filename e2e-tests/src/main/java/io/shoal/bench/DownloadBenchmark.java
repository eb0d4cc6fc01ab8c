package io.shoal.bench;

import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * An artifact's file downloaded over HTTP from the gateway ({@code /api/v1/artifacts/{name}/files/{name}})
 * beside the same stored object read straight from the store with the MinIO SDK (one GET, streamed), in
 * alternating rounds in one JVM, both with OkHttp (the SDK's client), each read consumed the same way (64 KiB at a
 * time, thrown away). Also the
 * gateway's resident memory at its largest during the downloads, which shows the file is streamed, not held.
 * CPU time per GB read is counted for the gateway, the store and this JVM (the client), to say where a
 * download's time goes on a machine whose cores they share.
 *   DownloadBenchmark STACK_PROPERTIES FILE_URL SIZE ROUNDS GATEWAY_PID STORE_PID
 * Prints one JSON line: MB/s (10^6 bytes) of each round and their medians, CPU seconds per GB of each process
 * for each way, and the gateway's peak RSS.
 */
public final class DownloadBenchmark {

    public static void main(String[] args) throws Exception {
        String url = args[1];
        long size = Long.parseLong(args[2]);
        int rounds = Integer.parseInt(args[3]);
        long gatewayPid = Long.parseLong(args[4]);
        long storePid = Long.parseLong(args[5]);
        long self = ProcessHandle.current().pid();
        StackStore stack = StackStore.of(Path.of(args[0]));
        MinioClient store = stack.client();
        String bucket = stack.bucket();
        String key = stack.contentOfSize(size);
        OkHttpClient http = new OkHttpClient(); // what the MinIO SDK reads the store with: the same client both ways
        ThrowingSupplier direct = () -> store.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build());
        ThrowingSupplier gateway = () -> {
            Response response = http.newCall(new Request.Builder().url(url).build()).execute();
            if (response.code() != 200) {
                response.close();
                throw new IOException(url + " answered " + response.code());
            }
            return response.body().byteStream();
        };
        long rssBefore = rssKiB(gatewayPid);
        long[] peak = {rssBefore};
        Thread watcher = Thread.ofPlatform().daemon().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peak[0] = Math.max(peak[0], rssKiB(gatewayPid));
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        read(direct, size); // warm: connections, JIT
        read(gateway, size);
        List<Double> store1 = new ArrayList<>();
        List<Double> gateway1 = new ArrayList<>();
        long[] pids = {gatewayPid, storePid, self};
        double[] cpuDirect = new double[3];
        double[] cpuGateway = new double[3];
        for (int round = 0; round < rounds; round++) {
            double[] before = cpu(pids);
            store1.add(read(direct, size));
            double[] between = cpu(pids);
            gateway1.add(read(gateway, size));
            double[] after = cpu(pids);
            for (int i = 0; i < 3; i++) {
                cpuDirect[i] += between[i] - before[i];
                cpuGateway[i] += after[i] - between[i];
            }
        }
        double gb = rounds * size / 1e9;
        watcher.interrupt();
        System.out.printf("{\"bytes\": %d, \"store_MBps\": %s, \"gateway_MBps\": %s, \"store_median_MBps\": %.1f, "
                        + "\"gateway_median_MBps\": %.1f, \"ratio\": %.2f, \"gateway_rss_before_KiB\": %d, \"gateway_rss_peak_KiB\": %d, "
                        + "\"cpu_s_per_GB_direct\": {\"gateway\": %.2f, \"store\": %.2f, \"client\": %.2f}, "
                        + "\"cpu_s_per_GB_via_gateway\": {\"gateway\": %.2f, \"store\": %.2f, \"client\": %.2f}}%n",
                size, format(store1), format(gateway1), median(store1), median(gateway1), median(gateway1) / median(store1),
                rssBefore, peak[0], cpuDirect[0] / gb, cpuDirect[1] / gb, cpuDirect[2] / gb,
                cpuGateway[0] / gb, cpuGateway[1] / gb, cpuGateway[2] / gb);
        System.exit(0);
    }

    interface ThrowingSupplier {
        InputStream open() throws Exception;
    }

    private static double read(ThrowingSupplier source, long size) throws Exception {
        byte[] chunk = new byte[64 * 1024];
        long started = System.nanoTime();
        long read = 0;
        try (InputStream in = source.open()) {
            for (int n; (n = in.read(chunk)) >= 0; ) {
                read += n;
            }
        }
        if (read != size) {
            throw new IllegalStateException("read " + read + " bytes of " + size);
        }
        return size / ((System.nanoTime() - started) / 1e9) / 1e6;
    }

    /** User + system CPU seconds of each process so far (/proc/PID/stat, in clock ticks of 1/100 s). */
    private static double[] cpu(long[] pids) {
        double[] seconds = new double[pids.length];
        for (int i = 0; i < pids.length; i++) {
            try {
                String stat = Files.readString(Path.of("/proc/" + pids[i] + "/stat"));
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                seconds[i] = (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
            } catch (IOException | RuntimeException e) {
                seconds[i] = 0;
            }
        }
        return seconds;
    }

    private static long rssKiB(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return sorted.length % 2 == 1 ? sorted[sorted.length / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
    }

    private static String format(List<Double> values) {
        return Arrays.toString(values.stream().map(v -> String.format("%.1f", v)).toArray());
    }
}
