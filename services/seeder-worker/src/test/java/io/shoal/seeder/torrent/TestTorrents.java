package io.shoal.seeder.torrent;

import io.shoal.bittorrent.bencode.BDict;
import io.shoal.bittorrent.hashing.PieceHasher;
import io.shoal.bittorrent.hashing.PieceHashes;
import io.shoal.bittorrent.metainfo.FileEntry;
import io.shoal.bittorrent.metainfo.InfoDictionary;
import io.shoal.bittorrent.metainfo.InfoHash;
import io.shoal.bittorrent.metainfo.Metainfo;
import io.shoal.bittorrent.metainfo.TorrentFormat;
import io.shoal.bittorrent.metainfo.TorrentLayout;
import io.shoal.events.StoredFile;
import io.shoal.events.TorrentPublishedEvent;
import io.shoal.objectstore.ObjectKeys;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;

/** Real torrents for tests, made with the protocol library as the upload pipeline makes them. */
public final class TestTorrents {

    /** A torrent, the event that publishes it, and its files' bytes by object key. */
    public record Made(SeededTorrent torrent, TorrentPublishedEvent event, byte[] torrentFile, Map<String, byte[]> objects) {

        public UUID artifact() {
            return UUID.fromString(event.artifactId());
        }

        /** The bytes of content file {@code i}. */
        public byte[] object(int i) {
            return objects.get(ObjectKeys.content(artifact(), i));
        }
    }

    private TestTorrents() {
    }

    /**
     * The artifact test torrents belong to unless told otherwise, so their objects follow Shoal's key layout. Its
     * objects differ with the arguments (the piece store caches by object): the same arguments make the same objects.
     */
    public static UUID artifactFor(TorrentFormat format, int pieceLength, long seed, int... lengths) {
        return UUID.nameUUIDFromBytes((format + "/" + pieceLength + "/" + seed + "/" + Arrays.toString(lengths)).getBytes());
    }

    /** @param lengths one length per file: one makes a single-file torrent */
    public static Made make(TorrentFormat format, int pieceLength, long seed, int... lengths) throws Exception {
        return make(artifactFor(format, pieceLength, seed, lengths), format, pieceLength, seed, lengths);
    }

    /** The same, as artifact {@code artifact}. */
    public static Made make(UUID artifact, TorrentFormat format, int pieceLength, long seed, int... lengths) throws Exception {
        Random random = new Random(seed);
        return build(artifact, format, pieceLength, lengths, (i, length) -> {
            byte[] bytes = new byte[length];
            random.nextBytes(bytes);
            return Map.entry(ObjectKeys.content(artifact, i), bytes);
        });
    }

    /**
     * The next version of a multi-file artifact: the same files, but file {@code changed} has new bytes (in an object of
     * the new artifact's); the others are the objects of {@code previous}, as metadata records content it has stored
     * before (one object per SHA-256).
     */
    public static Made nextVersion(Made previous, int changed, long seed) throws Exception {
        UUID artifact = UUID.nameUUIDFromBytes((previous.artifact() + "/next/" + changed + "/" + seed).getBytes());
        Random random = new Random(seed);
        List<StoredFile> files = previous.event().files();
        int[] lengths = files.stream().mapToInt(f -> (int) f.length()).toArray();
        return build(artifact, TorrentFormat.valueOf(previous.event().format().toUpperCase()), previous.event().pieceLength(), lengths,
                (i, length) -> {
                    if (i != changed) {
                        return Map.entry(files.get(i).objectKey(), previous.objects().get(files.get(i).objectKey()));
                    }
                    byte[] bytes = new byte[length];
                    random.nextBytes(bytes);
                    return Map.entry(ObjectKeys.content(artifact, i), bytes);
                });
    }

    /** File {@code i}'s object key and bytes. */
    private interface Contents {
        Map.Entry<String, byte[]> of(int i, int length);
    }

    private static Made build(UUID artifact, TorrentFormat format, int pieceLength, int[] lengths, Contents contents) throws Exception {
        Map<String, byte[]> objects = new LinkedHashMap<>();
        List<FileEntry> entries = new ArrayList<>();
        for (int i = 0; i < lengths.length; i++) {
            entries.add(FileEntry.of(lengths[i], "f" + i + ".bin"));
        }
        TorrentLayout layout = lengths.length == 1
                ? TorrentLayout.singleFile("t.bin", lengths[0], pieceLength, format)
                : TorrentLayout.multiFile("t", entries, pieceLength, format);
        List<StoredFile> stored = new ArrayList<>();
        PieceHashes hashes;
        try (PieceHasher hasher = PieceHasher.create(layout, 1)) {
            int i = 0;
            for (FileEntry file : layout.contentFiles()) {
                Map.Entry<String, byte[]> content = contents.of(i++, (int) file.length());
                byte[] bytes = content.getValue();
                hasher.update(bytes, 0, bytes.length);
                String key = content.getKey();
                objects.put(key, bytes);
                stored.add(new StoredFile(file.path(), file.length(), "0".repeat(64), key));
            }
            hashes = hasher.finish();
        }
        BDict info = InfoDictionary.build(layout, hashes, false);
        byte[] file = Metainfo.encode(info, InfoDictionary.pieceLayers(hashes), new Metainfo.Envelope(
                List.of(List.of("http://127.0.0.1:1/announce")), List.of(), Optional.empty(), Optional.empty(), Optional.empty()));
        byte[] raw = info.rawBytes();
        String v1 = format.hasV1() ? InfoHash.v1Of(raw).hex() : null;
        String v2 = format.hasV2() ? InfoHash.v2Of(raw).hex() : null;
        TorrentPublishedEvent event = new TorrentPublishedEvent(artifact.toString(), layout.name(), v1, v2, format.name().toLowerCase(),
                pieceLength, layout.contentLength(), "0".repeat(64), false, lengths.length == 1, stored,
                List.of("http://127.0.0.1:1/announce"), "shoal", ObjectKeys.torrent(artifact), 0);
        return new Made(SeededTorrent.of(event, file), event, file, objects);
    }
}
