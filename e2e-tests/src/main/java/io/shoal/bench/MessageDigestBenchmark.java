package io.shoal.bench;

import java.security.MessageDigest;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Plain JDK MessageDigest over the same 64 MiB in the same 1 MiB chunks: what one core can hash at best. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class MessageDigestBenchmark {

    byte[] content;

    @Setup
    public void makeContent() {
        content = new byte[PieceHashingBenchmark.SIZE];
        new Random(5).nextBytes(content);
    }

    private byte[] digest(String algorithm) throws Exception {
        MessageDigest digest = MessageDigest.getInstance(algorithm);
        for (int off = 0; off < content.length; off += PieceHashingBenchmark.CHUNK) {
            digest.update(content, off, PieceHashingBenchmark.CHUNK);
        }
        return digest.digest();
    }

    @Benchmark
    public byte[] sha1() throws Exception {
        return digest("SHA-1");
    }

    @Benchmark
    public byte[] sha256() throws Exception {
        return digest("SHA-256");
    }
}
