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
    }

    private TestTorrents() {
    }

    /** The artifact every test torrent belongs to, so its objects follow Shoal's key layout. */
    public static final UUID ARTIFACT = UUID.fromString("7e57a11f-0000-4000-8000-000000000001");

    /** @param lengths one length per file: one makes a single-file torrent */
    public static Made make(TorrentFormat format, int pieceLength, long seed, int... lengths) throws Exception {
        Random random = new Random(seed);
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
                byte[] bytes = new byte[(int) file.length()];
                random.nextBytes(bytes);
                hasher.update(bytes, 0, bytes.length);
                String key = ObjectKeys.content(ARTIFACT, i++);
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
        TorrentPublishedEvent event = new TorrentPublishedEvent(ARTIFACT.toString(), layout.name(), v1, v2, format.name().toLowerCase(),
                pieceLength, layout.contentLength(), "0".repeat(64), false, lengths.length == 1, stored,
                List.of("http://127.0.0.1:1/announce"), "shoal", ObjectKeys.torrent(ARTIFACT), 0);
        return new Made(SeededTorrent.of(event, file), event, file, objects);
    }
}
