package io.shoal.bench;

import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import io.minio.MinioClient;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The store read directly, the way a seeder reads it: the stored object of SIZE bytes (an upload's content)
 * read whole in ranged GETs of PIECE bytes into off-heap buffers, with 1 and with PARALLEL reads in flight.
 * The reference the seeder's cold path is judged against (e2e-tests/bench/seeder.sh).
 *   StoreReadBenchmark STACK_PROPERTIES SIZE PIECE PARALLEL
 * Prints one JSON line: MB/s (10^6 bytes) sequential and parallel.
 */
public final class StoreReadBenchmark {

    public static void main(String[] args) throws Exception {
        long size = Long.parseLong(args[1]);
        int piece = Integer.parseInt(args[2]);
        int parallel = Integer.parseInt(args[3]);
        StackStore stack = StackStore.of(Path.of(args[0]));
        MinioClient store = stack.client();
        String bucket = stack.bucket();
        String key = stack.contentOfSize(size);
        read(store, bucket, key, size, piece, 1); // warm: connections, JIT
        double sequential = read(store, bucket, key, size, piece, 1);
        double concurrent = read(store, bucket, key, size, piece, parallel);
        System.out.printf("{\"store_sequential_MBps\": %.1f, \"store_parallel_MBps\": %.1f, \"parallel\": %d, \"range\": %d}%n",
                sequential, concurrent, parallel, piece);
        System.exit(0);
    }

    private static double read(MinioClient store, String bucket, String key, long size, int piece, int parallel) throws Exception {
        ExecutorService readers = Executors.newFixedThreadPool(parallel);
        AtomicLong next = new AtomicLong();
        long started = System.nanoTime();
        List<Future<?>> running = new ArrayList<>();
        for (int t = 0; t < parallel; t++) {
            running.add(readers.submit(() -> {
                ByteBuffer into = ByteBuffer.allocateDirect(piece);
                byte[] chunk = new byte[64 * 1024];
                for (long offset; (offset = next.getAndAdd(piece)) < size; ) {
                    into.clear().limit((int) Math.min(piece, size - offset));
                    try (GetObjectResponse in = store.getObject(GetObjectArgs.builder().bucket(bucket).object(key)
                            .offset(offset).length((long) into.limit()).build())) {
                        while (into.hasRemaining()) {
                            int n = in.read(chunk, 0, Math.min(chunk.length, into.remaining()));
                            if (n < 0) {
                                throw new IllegalStateException("short read at " + offset);
                            }
                            into.put(chunk, 0, n);
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : running) {
            f.get();
        }
        readers.shutdown();
        return size / ((System.nanoTime() - started) / 1e9) / 1e6;
    }
}
