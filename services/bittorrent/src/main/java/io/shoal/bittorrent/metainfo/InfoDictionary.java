package io.shoal.bittorrent.metainfo;

import io.shoal.bittorrent.bencode.BDict;
import io.shoal.bittorrent.bencode.BList;
import io.shoal.bittorrent.bencode.BString;
import io.shoal.bittorrent.bencode.BValue;
import io.shoal.bittorrent.hashing.PieceHashes;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Builds the {@code info} dictionary and the {@code piece layers} of a torrent from its layout and its
 * hashes, key for key what the reference tools write: mktorrent for v1, libtorrent's create_torrent for
 * hybrid and v2. Equal bytes mean equal info-hashes, so a torrent Shoal makes and one an operator makes
 * with those tools from the same files are the same swarm.
 */
public final class InfoDictionary {

    private InfoDictionary() {
    }

    /** @param privateTorrent BEP 27: peers only from trackers, written as {@code private=1} */
    public static BDict build(TorrentLayout layout, PieceHashes hashes, boolean privateTorrent) {
        return build(layout, hashes, privateTorrent, List.of());
    }

    /**
     * The same, naming torrents that share files with this one (BEP 38 {@code similar}: 20-byte info-hashes), so a
     * client holding one of them can take those files from it.
     */
    public static BDict build(TorrentLayout layout, PieceHashes hashes, boolean privateTorrent, List<InfoHash> similar) {
        BDict.Builder info = BDict.builder()
                .put("name", layout.name())
                .put("piece length", layout.pieceLength());
        if (layout.format().hasV1()) {
            info.put("pieces", hashes.v1Pieces());
            if (layout.singleFile()) {
                info.put("length", layout.files().getFirst().length());
            } else {
                List<BValue> files = new ArrayList<>();
                for (FileEntry file : layout.files()) {
                    BDict.Builder entry = BDict.builder()
                            .put("length", file.length())
                            .put("path", new BList(file.path().stream().<BValue>map(BString::of).toList()));
                    if (file.pad()) {
                        entry.put("attr", "p"); // BEP 47
                    }
                    files.add(entry.build());
                }
                info.put("files", new BList(files));
            }
        }
        if (layout.format().hasV2()) {
            info.put("meta version", 2);
            info.put("file tree", fileTree(layout, hashes));
        }
        if (privateTorrent) {
            info.put("private", 1);
        }
        if (!similar.isEmpty()) {
            info.put("similar", new BList(similar.stream().<BValue>map(h -> BString.of(h.bytes())).toList()));
        }
        return info.build();
    }

    /** BEP 52: nested dictionaries by path component; a file is {@code {"": {length, pieces root}}}. */
    private static BDict fileTree(TorrentLayout layout, PieceHashes hashes) {
        TreeMap<BString, Object> root = new TreeMap<>();
        List<FileEntry> files = layout.contentFiles();
        for (int i = 0; i < files.size(); i++) {
            FileEntry file = files.get(i);
            List<String> path = layout.singleFile() ? List.of(layout.name()) : file.path();
            TreeMap<BString, Object> dir = root;
            for (String component : path.subList(0, path.size() - 1)) {
                @SuppressWarnings("unchecked")
                TreeMap<BString, Object> child = (TreeMap<BString, Object>) dir.computeIfAbsent(BString.of(component), k -> new TreeMap<BString, Object>());
                dir = child;
            }
            BDict.Builder leaf = BDict.builder().put("length", file.length());
            PieceHashes.FileHashes fileHashes = hashes.files().get(i);
            if (!fileHashes.empty()) {
                leaf.put("pieces root", fileHashes.piecesRoot());
            }
            dir.put(BString.of(path.getLast()), BDict.builder().put("", leaf.build()).build());
        }
        return toDict(root);
    }

    @SuppressWarnings("unchecked")
    private static BDict toDict(TreeMap<BString, Object> tree) {
        BDict.Builder dict = BDict.builder();
        tree.forEach((key, value) -> dict.put(key, value instanceof BDict leaf ? leaf : toDict((TreeMap<BString, Object>) value)));
        return dict.build();
    }

    /** BEP 52 {@code piece layers}: pieces root to the file's piece layer, for files longer than a piece. */
    public static BDict pieceLayers(PieceHashes hashes) {
        BDict.Builder layers = BDict.builder();
        for (PieceHashes.FileHashes file : hashes.files()) {
            if (!file.empty() && file.pieceLayer().length > 0) {
                layers.put(BString.of(file.piecesRoot()), BString.of(file.pieceLayer()));
            }
        }
        return layers.build();
    }
}
