package io.shoal.bench;

import io.shoal.bittorrent.bencode.BDict;
import io.shoal.bittorrent.bencode.BList;
import io.shoal.bittorrent.bencode.BString;
import io.shoal.bittorrent.bencode.BValue;
import io.shoal.bittorrent.bencode.BencodeDecoder;
import io.shoal.bittorrent.bencode.BencodeEncoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Decoding a .torrent of exactly 1 MiB shaped like a build output: 8,000 files in a few directories and
 * a v1 pieces string. One operation is one MiB, so operations per second are MiB/s.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class BencodeBenchmark {

    public static final int SIZE = 1 << 20;
    byte[] torrent;

    @Setup
    public void makeTorrent() {
        Random random = new Random(3);
        List<BValue> files = new ArrayList<>();
        for (int i = 0; i < 8000; i++) {
            files.add(BDict.builder().put("length", 1000L + random.nextInt(1 << 20))
                    .put("path", BList.of(BString.of("lib" + i % 40), BString.of("module-" + i + ".jar"))).build());
        }
        byte[] pieces = new byte[20 * 20_000];
        random.nextBytes(pieces);
        BDict.Builder info = BDict.builder().put("name", "build-output").put("piece length", 1 << 20)
                .put("pieces", pieces).put("files", new BList(files));
        int without = BencodeEncoder.encode(BDict.builder().put("announce", "http://tracker:6969/announce")
                .put("comment", "").put("info", info.build()).build()).length;
        // Pad with the comment so the whole torrent is exactly SIZE bytes.
        int comment = SIZE - without - (Integer.toString(SIZE - without).length() - 1);
        torrent = BencodeEncoder.encode(BDict.builder().put("announce", "http://tracker:6969/announce")
                .put("comment", "x".repeat(comment)).put("info", info.build()).build());
        if (torrent.length != SIZE) {
            throw new IllegalStateException("benchmark torrent is " + torrent.length + " bytes, not " + SIZE);
        }
    }

    @Benchmark
    public BValue decodeOneMiB() throws Exception {
        return BencodeDecoder.decode(torrent);
    }
}
