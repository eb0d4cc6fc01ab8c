package io.shoal.bench;

import io.shoal.bittorrent.hashing.PieceHasher;
import io.shoal.bittorrent.hashing.PieceHashes;
import io.shoal.bittorrent.metainfo.TorrentFormat;
import io.shoal.bittorrent.metainfo.TorrentLayout;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Shoal's PieceHasher on 64 MiB arriving in 1 MiB chunks, as an upload streams: v1 (SHA-1 pieces) and
 * hybrid (SHA-1 pieces and SHA-256 merkle trees), on one and two threads. One operation is 64 MiB;
 * {@link MessageDigestBenchmark} is the floor it is judged against.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class PieceHashingBenchmark {

    public static final int SIZE = 64 << 20;
    static final int CHUNK = 1 << 20;
    static final int PIECE = 1 << 20;

    @Param({"1", "2"})
    public int threads;

    byte[] content;
    TorrentLayout v1;
    TorrentLayout hybrid;

    @Setup
    public void makeContent() throws Exception {
        content = new byte[SIZE];
        new Random(5).nextBytes(content);
        v1 = TorrentLayout.singleFile("image.qcow2", SIZE, PIECE, TorrentFormat.V1);
        hybrid = TorrentLayout.singleFile("image.qcow2", SIZE, PIECE, TorrentFormat.HYBRID);
    }

    private PieceHashes hash(TorrentLayout layout) throws Exception {
        try (PieceHasher hasher = PieceHasher.create(layout, threads)) {
            for (int off = 0; off < SIZE; off += CHUNK) {
                hasher.update(content, off, CHUNK);
            }
            return hasher.finish();
        }
    }

    @Benchmark
    public PieceHashes pieceHasherV1() throws Exception {
        return hash(v1);
    }

    @Benchmark
    public PieceHashes pieceHasherHybrid() throws Exception {
        return hash(hybrid);
    }
}
