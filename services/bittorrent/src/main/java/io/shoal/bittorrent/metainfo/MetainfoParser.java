package io.shoal.bittorrent.metainfo;

import io.shoal.bittorrent.bencode.BDict;
import io.shoal.bittorrent.bencode.BInteger;
import io.shoal.bittorrent.bencode.BList;
import io.shoal.bittorrent.bencode.BString;
import io.shoal.bittorrent.bencode.BValue;
import io.shoal.bittorrent.bencode.BencodeDecoder;
import io.shoal.bittorrent.bencode.BencodeException;
import io.shoal.bittorrent.bencode.BencodeLimits;
import io.shoal.bittorrent.hashing.MerkleTree;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Parses .torrent files and bare info dictionaries (from BEP 9 metadata exchange) as hostile input:
 * every name, length, count and hash is checked before anything trusts it, and the first problem is
 * reported with what was expected.
 */
public final class MetainfoParser {

    /** 2^50 bytes: far beyond any artifact, far below where length arithmetic overflows. */
    public static final long MAX_TOTAL_LENGTH = 1L << 50;
    static final long MAX_V1_PIECE_LENGTH = 128L * 1024 * 1024;

    private MetainfoParser() {
    }

    /** A whole .torrent file; BEP 52 piece layers must be present for every file longer than a piece. */
    public static Metainfo parse(byte[] torrent) throws MetainfoException {
        BDict root = decode(torrent, "torrent");
        BDict info = dict(root, "info").orElseThrow(() -> new MetainfoException("no info dictionary"));
        Map<BString, byte[]> layers = new HashMap<>();
        Optional<BDict> pieceLayers = dict(root, "piece layers");
        if (pieceLayers.isPresent()) {
            for (var entry : pieceLayers.get().entries().entrySet()) {
                if (!(entry.getValue() instanceof BString layer)) {
                    throw new MetainfoException("piece layers: value is not a string");
                }
                layers.put(entry.getKey(), layer.bytes());
            }
        }
        return parse(root, info, layers, true);
    }

    /** A bare info dictionary, as BEP 9 delivers it to a client that holds only a magnet link. */
    public static Metainfo parseInfo(byte[] infoBytes) throws MetainfoException {
        return parse(BDict.builder().build(), decode(infoBytes, "info dictionary"), Map.of(), false);
    }

    private static BDict decode(byte[] bytes, String what) throws MetainfoException {
        try {
            return BencodeDecoder.decodeDict(bytes, BencodeLimits.DEFAULT);
        } catch (BencodeException e) {
            throw new MetainfoException("malformed " + what + ": " + e.getMessage(), e);
        }
    }

    private static Metainfo parse(BDict root, BDict info, Map<BString, byte[]> layers, boolean requireLayers)
            throws MetainfoException {
        String name = text(info, "name").orElseThrow(() -> new MetainfoException("no name"));
        FileNames.checkComponent(name);
        long pieceLength = integer(info, "piece length").orElseThrow(() -> new MetainfoException("no piece length"));
        if (pieceLength < 1 || pieceLength > MAX_V1_PIECE_LENGTH) {
            throw new MetainfoException("piece length " + pieceLength + " (expected: 1 to " + MAX_V1_PIECE_LENGTH + ")");
        }
        Optional<Long> metaVersion = integer(info, "meta version");
        if (metaVersion.isPresent() && metaVersion.get() != 2) {
            throw new MetainfoException("meta version " + metaVersion.get() + " (expected: 2)");
        }
        boolean hasV1 = info.containsKey("pieces");
        boolean hasV2 = metaVersion.isPresent();
        if (!hasV1 && !hasV2) {
            throw new MetainfoException("neither v1 pieces nor a v2 meta version");
        }
        TorrentFormat format = hasV1 && hasV2 ? TorrentFormat.HYBRID : hasV1 ? TorrentFormat.V1 : TorrentFormat.V2;

        List<FileEntry> v1Files = List.of();
        boolean singleFile;
        byte[] pieces = new byte[0];
        if (hasV1) {
            singleFile = info.containsKey("length");
            v1Files = singleFile ? List.of(FileEntry.of(checkedLength(integer(info, "length").orElseThrow(), "length"), name))
                    : v1FileList(info);
            pieces = bytes(info, "pieces").orElseThrow();
            long total = total(v1Files);
            long expected = (total + pieceLength - 1) / pieceLength;
            if (pieces.length % 20 != 0 || pieces.length / 20 != expected) {
                throw new MetainfoException("pieces is " + pieces.length + " bytes (expected: " + expected * 20
                        + " for " + total + " bytes in pieces of " + pieceLength + ")");
            }
        } else {
            singleFile = false;
        }

        List<V2File> v2Files = List.of();
        if (hasV2) {
            PieceLengthPolicy.check(pieceLength);
            BDict tree = dict(info, "file tree").orElseThrow(() -> new MetainfoException("v2 torrent without a file tree"));
            v2Files = new ArrayList<>();
            walk(tree, new ArrayList<>(), v2Files);
            if (v2Files.isEmpty()) {
                throw new MetainfoException("empty file tree");
            }
            total(v2Files.stream().map(f -> FileEntry.of(f.length(), "x")).toList());
            checkPieceLayers(v2Files, (int) pieceLength, layers, requireLayers);
            boolean treeIsSingleFile = v2Files.size() == 1 && v2Files.getFirst().path().equals(List.of(name));
            if (hasV1) {
                checkHybridAgrees(v1Files, singleFile, v2Files, treeIsSingleFile, name);
            } else {
                singleFile = treeIsSingleFile;
            }
        }
        List<FileEntry> files = hasV1 ? v1Files : v2Files.stream()
                .map(f -> new FileEntry(f.path(), f.length(), false)).toList();

        byte[] raw = info.rawBytes();
        return new Metainfo(info,
                hasV1 ? Optional.of(InfoHash.v1Of(raw)) : Optional.empty(),
                hasV2 ? Optional.of(InfoHash.v2Of(raw)) : Optional.empty(),
                format, name, (int) pieceLength, singleFile, files, pieces, layers,
                announceTiers(root), urlList(root), text(root, "comment"), text(root, "created by"),
                integer(root, "creation date").map(Instant::ofEpochSecond),
                integer(info, "private").orElse(0L) == 1L);
    }

    /** BEP 52: a file of the file tree, in tree order; {@code piecesRoot} is null for an empty file. */
    public record V2File(List<String> path, long length, byte[] piecesRoot) {
    }

    /** The files of a v2 or hybrid torrent's file tree, in the order their pieces are numbered. */
    public static List<V2File> v2Files(Metainfo metainfo) throws MetainfoException {
        BDict tree = dict(metainfo.info(), "file tree").orElseThrow(() -> new MetainfoException("not a v2 torrent"));
        List<V2File> files = new ArrayList<>();
        walk(tree, new ArrayList<>(), files);
        return files;
    }

    private static List<FileEntry> v1FileList(BDict info) throws MetainfoException {
        BList list = list(info, "files").orElseThrow(() -> new MetainfoException("neither length nor files"));
        if (list.size() == 0) {
            throw new MetainfoException("empty files list");
        }
        List<FileEntry> files = new ArrayList<>();
        for (BValue value : list.values()) {
            if (!(value instanceof BDict file)) {
                throw new MetainfoException("files: an entry is not a dictionary");
            }
            long length = checkedLength(integer(file, "length").orElseThrow(() -> new MetainfoException("files: an entry without length")), "file length");
            BList pathList = list(file, "path").orElseThrow(() -> new MetainfoException("files: an entry without path"));
            List<String> path = new ArrayList<>();
            for (BValue component : pathList.values()) {
                if (!(component instanceof BString s) || !s.isUtf8()) {
                    throw new MetainfoException("files: a path component is not a UTF-8 string");
                }
                path.add(s.utf8());
            }
            FileNames.checkPath(path);
            boolean pad = text(file, "attr").map(a -> a.contains("p")).orElse(false);
            files.add(new FileEntry(path, length, pad));
        }
        return files;
    }

    private static void walk(BDict node, List<String> path, List<V2File> out) throws MetainfoException {
        if (path.size() > FileNames.MAX_DEPTH) {
            throw new MetainfoException("file tree deeper than " + FileNames.MAX_DEPTH);
        }
        for (var entry : node.entries().entrySet()) {
            if (!(entry.getValue() instanceof BDict child)) {
                throw new MetainfoException("file tree: " + String.join("/", path) + " holds a non-dictionary");
            }
            if (entry.getKey().length() == 0) {
                throw new MetainfoException("file tree: an empty name at " + String.join("/", path));
            }
            if (!entry.getKey().isUtf8()) {
                throw new MetainfoException("file tree: a name is not UTF-8");
            }
            List<String> childPath = new ArrayList<>(path);
            childPath.add(entry.getKey().utf8());
            FileNames.checkPath(childPath);
            Optional<BValue> leaf = child.get("");
            if (leaf.isPresent()) {
                if (child.size() != 1 || !(leaf.get() instanceof BDict file)) {
                    throw new MetainfoException("file tree: " + String.join("/", childPath) + " is both a file and a directory");
                }
                long length = checkedLength(integer(file, "length").orElseThrow(() -> new MetainfoException("file tree: a file without length")), "file length");
                byte[] root = bytes(file, "pieces root").orElse(null);
                if (length > 0 && (root == null || root.length != MerkleTree.HASH)) {
                    throw new MetainfoException("file tree: " + String.join("/", childPath) + " has no 32-byte pieces root");
                }
                out.add(new V2File(List.copyOf(childPath), length, root));
            } else {
                walk(child, childPath, out);
            }
        }
    }

    /** Each file longer than a piece has a piece layer of the right size whose merkle root is its pieces root. */
    private static void checkPieceLayers(List<V2File> files, int pieceLength, Map<BString, byte[]> layers,
                                         boolean requireLayers) throws MetainfoException {
        MessageDigest sha256 = sha256();
        byte[] pad = MerkleTree.zeroSubtree(Integer.numberOfTrailingZeros(pieceLength / MerkleTree.BLOCK), sha256);
        for (V2File file : files) {
            if (file.length() <= pieceLength) {
                continue;
            }
            byte[] layer = layers.get(BString.of(file.piecesRoot()));
            if (layer == null) {
                if (requireLayers) {
                    throw new MetainfoException("no piece layer for " + String.join("/", file.path()));
                }
                continue;
            }
            long pieces = (file.length() + pieceLength - 1) / pieceLength;
            if (layer.length != pieces * MerkleTree.HASH) {
                throw new MetainfoException("piece layer of " + String.join("/", file.path()) + " is " + layer.length
                        + " bytes (expected: " + pieces * MerkleTree.HASH + ")");
            }
            byte[] root = MerkleTree.root(layer, (int) pieces, MerkleTree.paddedCount(pieces), pad, sha256);
            if (!Arrays.equals(root, file.piecesRoot())) {
                throw new MetainfoException("piece layer of " + String.join("/", file.path()) + " does not hash to its pieces root");
            }
        }
    }

    private static void checkHybridAgrees(List<FileEntry> v1Files, boolean v1SingleFile, List<V2File> v2Files,
                                          boolean v2SingleFile, String name) throws MetainfoException {
        List<FileEntry> content = v1Files.stream().filter(f -> !f.pad()).toList();
        if (v1SingleFile != v2SingleFile || content.size() != v2Files.size()) {
            throw new MetainfoException("hybrid torrent: the v1 files and the v2 file tree differ");
        }
        for (int i = 0; i < content.size(); i++) {
            List<String> v1Path = v1SingleFile ? List.of(name) : content.get(i).path();
            if (!v1Path.equals(v2Files.get(i).path()) || content.get(i).length() != v2Files.get(i).length()) {
                throw new MetainfoException("hybrid torrent: v1 file " + String.join("/", v1Path)
                        + " differs from v2 file " + String.join("/", v2Files.get(i).path()));
            }
        }
    }

    private static long checkedLength(long length, String what) throws MetainfoException {
        if (length < 0 || length > MAX_TOTAL_LENGTH) {
            throw new MetainfoException(what + " " + length + " (expected: 0 to " + MAX_TOTAL_LENGTH + ")");
        }
        return length;
    }

    private static long total(List<FileEntry> files) throws MetainfoException {
        long total = 0;
        for (FileEntry file : files) {
            total += file.length();
            if (total > MAX_TOTAL_LENGTH) {
                throw new MetainfoException("total length over " + MAX_TOTAL_LENGTH + " bytes");
            }
        }
        return total;
    }

    private static List<List<String>> announceTiers(BDict root) throws MetainfoException {
        Optional<BList> announceList = list(root, "announce-list");
        if (announceList.isPresent()) {
            List<List<String>> tiers = new ArrayList<>();
            for (BValue tier : announceList.get().values()) {
                if (!(tier instanceof BList urls)) {
                    throw new MetainfoException("announce-list: a tier is not a list");
                }
                tiers.add(strings(urls, "announce-list"));
            }
            return tiers;
        }
        return text(root, "announce").map(url -> List.of(List.of(url))).orElse(List.of());
    }

    private static List<String> urlList(BDict root) throws MetainfoException {
        Optional<BValue> value = root.get("url-list");
        if (value.isEmpty()) {
            return List.of();
        }
        return switch (value.get()) {
            case BString single -> single.length() == 0 ? List.of() : List.of(single.utf8());
            case BList list -> strings(list, "url-list");
            default -> throw new MetainfoException("url-list is neither a string nor a list");
        };
    }

    private static List<String> strings(BList list, String what) throws MetainfoException {
        List<String> out = new ArrayList<>();
        for (BValue v : list.values()) {
            if (!(v instanceof BString s)) {
                throw new MetainfoException(what + ": an entry is not a string");
            }
            out.add(s.utf8());
        }
        return out;
    }

    private static Optional<String> text(BDict dict, String key) throws MetainfoException {
        Optional<BValue> v = dict.get(key);
        if (v.isPresent() && !(v.get() instanceof BString)) {
            throw new MetainfoException(key + " is not a string");
        }
        return v.map(s -> ((BString) s).utf8());
    }

    private static Optional<byte[]> bytes(BDict dict, String key) throws MetainfoException {
        Optional<BValue> v = dict.get(key);
        if (v.isPresent() && !(v.get() instanceof BString)) {
            throw new MetainfoException(key + " is not a string");
        }
        return v.map(s -> ((BString) s).bytes());
    }

    private static Optional<Long> integer(BDict dict, String key) throws MetainfoException {
        Optional<BValue> v = dict.get(key);
        if (v.isPresent() && !(v.get() instanceof BInteger)) {
            throw new MetainfoException(key + " is not an integer");
        }
        return v.map(i -> ((BInteger) i).value());
    }

    private static Optional<BList> list(BDict dict, String key) throws MetainfoException {
        Optional<BValue> v = dict.get(key);
        if (v.isPresent() && !(v.get() instanceof BList)) {
            throw new MetainfoException(key + " is not a list");
        }
        return v.map(BList.class::cast);
    }

    private static Optional<BDict> dict(BDict dict, String key) throws MetainfoException {
        Optional<BValue> v = dict.get(key);
        if (v.isPresent() && !(v.get() instanceof BDict)) {
            throw new MetainfoException(key + " is not a dictionary");
        }
        return v.map(BDict.class::cast);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
