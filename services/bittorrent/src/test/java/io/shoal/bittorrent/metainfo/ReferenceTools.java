package io.shoal.bittorrent.metainfo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the installed reference tools (Debian's mktorrent, transmission-create, python3-libtorrent). */
final class ReferenceTools {

    private ReferenceTools() {
    }

    static String run(Path workDir, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
        String output;
        try (InputStream in = process.getInputStream()) {
            output = new String(in.readAllBytes());
        }
        if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed (is it installed? ./shoal test installs it):\n" + output);
        }
        return output;
    }

    /** mktorrent 1.1 without a creation date, so two runs give the same bytes. */
    static byte[] mktorrent(Path path, int pieceLength, Path out) throws Exception {
        run(path.getParent(), "mktorrent", "-d", "-l", Integer.toString(Integer.numberOfTrailingZeros(pieceLength)),
                "-a", "http://127.0.0.1:6969/announce", "-o", out.toString(), path.toString());
        return Files.readAllBytes(out);
    }

    /** libtorrent's create_torrent; returns the bytes and the hashes libtorrent itself computes. */
    static Made libtorrent(Path path, int pieceLength, String format, Path out) throws Exception {
        Path script = Files.createTempFile(out.getParent(), "make_torrent", ".py");
        try (InputStream in = ReferenceTools.class.getResourceAsStream("/make_torrent.py")) {
            Files.write(script, in.readAllBytes());
        }
        String output = run(path.getParent(), "/usr/bin/python3", script.toString(), path.toString(),
                Integer.toString(pieceLength), format, out.toString());
        Map<String, String> hashes = new HashMap<>();
        for (String line : output.strip().split("\n")) {
            String[] parts = line.split(" ");
            hashes.put(parts[0], parts[1]);
        }
        return new Made(Files.readAllBytes(out), hashes.get("v1"), hashes.get("v2"));
    }

    record Made(byte[] torrent, String v1Hex, String v2Hex) {
    }

    /** Shoal's own torrent of the same files, hashed with {@code threads} threads. */
    static ShoalTorrent shoal(Path path, int pieceLength, TorrentFormat format, int threads) throws Exception {
        TorrentLayout layout;
        if (Files.isDirectory(path)) {
            List<FileEntry> files = new ArrayList<>();
            try (var walk = Files.walk(path)) {
                for (Path file : walk.filter(Files::isRegularFile).toList()) {
                    List<String> components = new ArrayList<>();
                    path.relativize(file).forEach(c -> components.add(c.toString()));
                    files.add(new FileEntry(components, Files.size(file), false));
                }
            }
            layout = TorrentLayout.multiFile(path.getFileName().toString(), files, pieceLength, format);
        } else {
            layout = TorrentLayout.singleFile(path.getFileName().toString(), Files.size(path), pieceLength, format);
        }
        try (var hasher = io.shoal.bittorrent.hashing.PieceHasher.create(layout, threads)) {
            for (FileEntry file : layout.contentFiles()) {
                Path onDisk = layout.singleFile() ? path : path.resolve(String.join("/", file.path()));
                try (InputStream in = Files.newInputStream(onDisk)) {
                    byte[] chunk = new byte[100_003]; // not a multiple of anything, to cross every boundary
                    for (int n; (n = in.read(chunk)) > 0; ) {
                        hasher.update(chunk, 0, n);
                    }
                }
            }
            var hashes = hasher.finish();
            return new ShoalTorrent(InfoDictionary.build(layout, hashes, false), InfoDictionary.pieceLayers(hashes));
        }
    }

    record ShoalTorrent(io.shoal.bittorrent.bencode.BDict info, io.shoal.bittorrent.bencode.BDict pieceLayers) {
    }
}
