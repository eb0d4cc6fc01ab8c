package io.shoal.seeder.torrent;

import io.shoal.bittorrent.bencode.BString;
import io.shoal.bittorrent.hashing.MerkleTree;
import io.shoal.bittorrent.metainfo.FileEntry;
import io.shoal.bittorrent.metainfo.InfoHash;
import io.shoal.bittorrent.metainfo.Metainfo;
import io.shoal.bittorrent.metainfo.MetainfoException;
import io.shoal.bittorrent.metainfo.MetainfoParser;
import io.shoal.bittorrent.metainfo.TorrentFormat;
import io.shoal.events.StoredFile;
import io.shoal.events.TorrentPublishedEvent;
import io.shoal.objectstore.ObjectKeys;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A torrent a worker seeds: who it is on the wire, how its pieces map onto stored objects, and what each
 * piece must hash to. Pieces are numbered as BEP 3 (v1, hybrid: the files end to end, pad files as zeros)
 * and BEP 52 (v2: every file starts a new piece) number them; in both a piece starts at index · piece length.
 */
public final class SeededTorrent {

    private final String key;
    private final Metainfo metainfo;
    private final byte[] infoBytes;
    private final List<InfoHash> wireHashes;
    private final List<Extent> extents;
    private final int[] pieceSizes;
    private final byte[] v1Pieces;
    /** v2 only: 32 bytes a piece, and whether the piece is a whole file (verified against its pieces root). */
    private final byte[] v2PieceHashes;
    private final boolean[] wholeFilePiece;
    private final Map<String, HashTree> hashTrees;
    private final long length;
    /** Each piece's content, made when first asked for. */
    private final AtomicReferenceArray<PieceContent> contents;
    /** Where each stored object starts in the piece space (an object may stand at several paths). */
    private final Map<String, long[]> objectStarts = new HashMap<>();

    /**
     * What a piece holds, whatever torrent it belongs to: the runs of stored objects (and pad zeros) it is made of,
     * and its size as peers request it. Stored objects are named by content and never change (metadata keeps one
     * object per SHA-256), so pieces of two torrents with equal contents hold the same bytes: the piece store caches
     * and reads by this, and a file two artifacts share is read and cached once (for every piece of it when the
     * torrents are v2 or hybrid and have one piece length; in v1 where the file starts a piece at the same offset).
     */
    public record PieceContent(List<Extent> extents, int size) {
    }

    private SeededTorrent(String key, Metainfo metainfo, List<InfoHash> wireHashes, List<Extent> extents, int[] pieceSizes,
                          byte[] v2PieceHashes, boolean[] wholeFilePiece, Map<String, HashTree> hashTrees) {
        this.key = key;
        this.metainfo = metainfo;
        this.infoBytes = metainfo.info().rawBytes();
        this.wireHashes = List.copyOf(wireHashes);
        this.extents = List.copyOf(extents);
        this.pieceSizes = pieceSizes;
        this.v1Pieces = metainfo.pieces();
        this.v2PieceHashes = v2PieceHashes;
        this.wholeFilePiece = wholeFilePiece;
        this.hashTrees = hashTrees;
        this.length = metainfo.contentLength();
        this.contents = new AtomicReferenceArray<>(pieceSizes.length);
        for (Extent e : this.extents) {
            if (!e.pad()) {
                objectStarts.merge(e.objectKey(), new long[] {e.start()}, (a, b) -> {
                    long[] both = Arrays.copyOf(a, a.length + 1);
                    both[a.length] = b[0];
                    return both;
                });
            }
        }
    }

    /** What piece {@code piece} holds (see {@link PieceContent}). */
    public PieceContent contentOf(int piece) {
        PieceContent content = contents.get(piece);
        if (content == null) {
            content = new PieceContent(List.copyOf(extentsOf(piece)), requestableSize(piece));
            contents.set(piece, content); // two threads may both make it: equal either way
        }
        return content;
    }

    /** The piece of this torrent that holds {@code content}, or -1 if none does. */
    public int pieceWith(PieceContent content) {
        Extent first = content.extents().getFirst();
        long[] starts = first.pad() ? null : objectStarts.get(first.objectKey());
        if (starts == null) {
            return -1;
        }
        for (long start : starts) {
            long at = start + first.start();
            if (at % pieceLength() == 0 && at / pieceLength() < pieceCount()) {
                int piece = (int) (at / pieceLength());
                if (contentOf(piece).equals(content)) {
                    return piece;
                }
            }
        }
        return -1;
    }

    /** The stored objects this torrent's pieces are read from. */
    public Set<String> objectKeys() {
        return java.util.Collections.unmodifiableSet(objectStarts.keySet());
    }

    /**
     * Where the event's .torrent lives, checked: Shoal's own bucket and the key metadata writes for that artifact,
     * nothing a forged record chooses.
     */
    public static String torrentFileKey(TorrentPublishedEvent event, String bucket) throws MetainfoException {
        if (!bucket.equals(event.bucket())) {
            throw new MetainfoException("bucket '" + event.bucket() + "' (expected: " + bucket + ")");
        }
        UUID artifactId;
        try {
            artifactId = UUID.fromString(event.artifactId());
        } catch (IllegalArgumentException e) {
            throw new MetainfoException("artifact id '" + event.artifactId() + "' (expected: a UUID)");
        }
        String key = ObjectKeys.torrent(artifactId);
        if (!key.equals(event.torrentKey())) {
            throw new MetainfoException(".torrent at '" + event.torrentKey() + "' (expected: " + key + ")");
        }
        return key;
    }

    /**
     * Joins the published event (where the bytes are) with the .torrent (what they must hash to).
     *
     * @throws MetainfoException when the two disagree (another torrent's file, files of other lengths, trackers the
     *                           .torrent does not name) or the event points a file outside Shoal's content objects
     */
    public static SeededTorrent of(TorrentPublishedEvent event, byte[] torrentFile) throws MetainfoException {
        Metainfo metainfo = MetainfoParser.parse(torrentFile);
        List<InfoHash> hashes = new ArrayList<>();
        metainfo.v1Hash().ifPresent(hashes::add);
        metainfo.v2Hash().ifPresent(h -> hashes.add(h.truncated()));
        String expectedKey = TorrentPublishedEvent.swarmKey(metainfo.v1Hash().map(InfoHash::hex).orElse(null),
                metainfo.v2Hash().map(InfoHash::hex).orElse(null));
        if (!expectedKey.equals(event.swarmKey())) {
            throw new MetainfoException("the .torrent is " + expectedKey + ", the event says " + event.swarmKey());
        }
        Set<String> announced = new HashSet<>();
        metainfo.announceTiers().forEach(announced::addAll);
        for (String tracker : event.trackers()) {
            if (!announced.contains(tracker)) {
                throw new MetainfoException("the event names tracker " + tracker + ", which the .torrent does not");
            }
        }
        List<FileEntry> content = metainfo.files().stream().filter(f -> !f.pad()).toList();
        List<StoredFile> stored = event.files();
        for (StoredFile file : stored) {
            if (!ObjectKeys.isContent(file.objectKey())) {
                throw new MetainfoException("the event points a file at '" + file.objectKey() + "', which is no content object");
            }
        }
        if (content.size() != stored.size()) {
            throw new MetainfoException("the .torrent has " + content.size() + " files, the event " + stored.size());
        }
        for (int i = 0; i < content.size(); i++) {
            if (content.get(i).length() != stored.get(i).length()) {
                throw new MetainfoException("file " + i + " is " + content.get(i).length() + " bytes in the .torrent, "
                        + stored.get(i).length() + " in the store");
            }
        }
        int pieceLength = metainfo.pieceLength();
        List<MetainfoParser.V2File> v2Files = metainfo.format().hasV2() ? MetainfoParser.v2Files(metainfo) : List.of();
        Map<String, HashTree> trees = hashTrees(metainfo, v2Files);
        List<Extent> extents = new ArrayList<>();
        if (metainfo.format() != TorrentFormat.V2) {
            long at = 0;
            int next = 0;
            for (FileEntry file : metainfo.files()) {
                String object = file.pad() ? null : stored.get(next++).objectKey();
                if (file.length() > 0) {
                    extents.add(new Extent(object, at, file.length()));
                }
                at += file.length();
            }
            int count = Math.toIntExact((at + pieceLength - 1) / pieceLength);
            int[] sizes = new int[count];
            for (int i = 0; i < count; i++) {
                sizes[i] = (int) Math.min(pieceLength, at - (long) i * pieceLength);
            }
            return new SeededTorrent(event.swarmKey(), metainfo, hashes, extents, sizes, null, null, trees);
        }
        int count = 0;
        for (MetainfoParser.V2File file : v2Files) {
            count += Math.toIntExact((file.length() + pieceLength - 1) / pieceLength);
        }
        int[] sizes = new int[count];
        byte[] v2Hashes = new byte[count * MerkleTree.HASH];
        boolean[] wholeFile = new boolean[count];
        int piece = 0;
        for (int f = 0; f < v2Files.size(); f++) {
            MetainfoParser.V2File file = v2Files.get(f);
            if (file.length() == 0) {
                continue;
            }
            extents.add(new Extent(stored.get(f).objectKey(), (long) piece * pieceLength, file.length()));
            int pieces = Math.toIntExact((file.length() + pieceLength - 1) / pieceLength);
            byte[] layer = pieces == 1 ? file.piecesRoot() : layerOf(metainfo, file.piecesRoot());
            System.arraycopy(layer, 0, v2Hashes, piece * MerkleTree.HASH, pieces * MerkleTree.HASH);
            for (int p = 0; p < pieces; p++, piece++) {
                sizes[piece] = (int) Math.min(pieceLength, file.length() - (long) p * pieceLength);
                wholeFile[piece] = pieces == 1;
            }
        }
        return new SeededTorrent(event.swarmKey(), metainfo, hashes, extents, sizes, v2Hashes, wholeFile, trees);
    }

    private static byte[] layerOf(Metainfo metainfo, byte[] piecesRoot) throws MetainfoException {
        byte[] layer = metainfo.pieceLayers().get(BString.of(piecesRoot));
        if (layer == null) {
            throw new MetainfoException("no piece layer for a file longer than a piece");
        }
        return layer;
    }

    /** BEP 52 trees for the files longer than a piece, by hex pieces root, to answer hash requests. */
    private static Map<String, HashTree> hashTrees(Metainfo metainfo, List<MetainfoParser.V2File> files) throws MetainfoException {
        Map<String, HashTree> trees = new HashMap<>();
        for (MetainfoParser.V2File file : files) {
            if (file.length() > metainfo.pieceLength()) {
                HashTree tree = HashTree.of(file.length(), metainfo.pieceLength(), layerOf(metainfo, file.piecesRoot()));
                trees.put(HexFormat.of().formatHex(file.piecesRoot()), tree);
            }
        }
        return Map.copyOf(trees);
    }

    /** The key on shoal.torrents (the v1 info-hash, or a v2-only torrent's truncated v2 hash). */
    public String key() {
        return key;
    }

    /** The 20-byte hashes a peer may send in its handshake: v1 and, for v2 and hybrid, the truncated v2 hash. */
    public List<InfoHash> wireHashes() {
        return wireHashes;
    }

    public String name() {
        return metainfo.name();
    }

    /** BEP 27: peers come from the torrent's trackers only (never the DHT, never peer exchange). */
    public boolean isPrivate() {
        return metainfo.privateTorrent();
    }

    /** Bytes of content (pad files left out). */
    public long length() {
        return length;
    }

    public int pieceCount() {
        return pieceSizes.length;
    }

    public int pieceLength() {
        return metainfo.pieceLength();
    }

    public int pieceSize(int piece) {
        return pieceSizes[piece];
    }

    /**
     * The bytes of a piece a peer may request, and what the piece store holds of it: its size, except in a
     * v2 torrent, where libtorrent treats every file as padded to a piece boundary and asks for the tail block
     * in full, so a short piece is held padded with zeros.
     */
    public int requestableSize(int piece) {
        return v2PieceHashes == null ? pieceSizes[piece] : pieceLength();
    }

    public boolean hasV2() {
        return metainfo.format().hasV2();
    }

    /** The bencoded info dictionary as in the .torrent: what BEP 9 hands to a client holding a magnet link. */
    public byte[] infoBytes() {
        return infoBytes.clone();
    }

    /** The size of the info dictionary (BEP 9 {@code metadata_size}). */
    public int infoSize() {
        return infoBytes.length;
    }

    /** The runs of bytes piece {@code piece} is made of, in order. */
    public List<Extent> extentsOf(int piece) {
        long from = (long) piece * pieceLength();
        long to = from + pieceSizes[piece];
        List<Extent> out = new ArrayList<>(2);
        int i = firstExtentAtOrAfter(from);
        for (; i < extents.size() && extents.get(i).start() < to; i++) {
            Extent e = extents.get(i);
            long s = Math.max(from, e.start());
            long t = Math.min(to, e.end());
            if (s < t) {
                out.add(new Extent(e.objectKey(), s - e.start(), t - s));
            }
        }
        return out;
    }

    private int firstExtentAtOrAfter(long offset) {
        int lo = 0;
        int hi = extents.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (extents.get(mid).end() <= offset) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * Whether {@code data} is piece {@code piece}: SHA-1 for v1 and hybrid, BEP 52's merkle root for v2. The
     * piece is its first {@link #pieceSize} bytes; the rest, up to {@link #requestableSize}, must be zeros.
     */
    public boolean verify(int piece, byte[] data) {
        return verify(piece, ByteBuffer.wrap(data));
    }

    /** The same for the bytes between {@code data}'s position and limit (a direct buffer too); its position is kept. */
    public boolean verify(int piece, ByteBuffer data) {
        int size = pieceSizes[piece];
        int start = data.position();
        if (data.remaining() != requestableSize(piece) || !zeros(data, start + size, data.limit())) {
            return false;
        }
        if (v2PieceHashes == null) {
            MessageDigest sha1 = digest("SHA-1");
            sha1.update(data.duplicate().limit(start + size));
            return Arrays.equals(sha1.digest(), 0, 20, v1Pieces, piece * 20, piece * 20 + 20);
        }
        int blocks = (size + MerkleTree.BLOCK - 1) / MerkleTree.BLOCK;
        MessageDigest sha256 = digest("SHA-256");
        byte[] leaves = new byte[blocks * MerkleTree.HASH];
        for (int b = 0; b < blocks; b++) {
            int from = start + b * MerkleTree.BLOCK;
            sha256.update(data.duplicate().position(from).limit(from + Math.min(MerkleTree.BLOCK, size - b * MerkleTree.BLOCK)));
            byte[] h = sha256.digest();
            System.arraycopy(h, 0, leaves, b * MerkleTree.HASH, MerkleTree.HASH);
        }
        int width = wholeFilePiece[piece] ? MerkleTree.paddedCount(blocks) : pieceLength() / MerkleTree.BLOCK;
        byte[] root = MerkleTree.root(leaves, blocks, width, new byte[MerkleTree.HASH], sha256);
        return Arrays.equals(root, 0, 32, v2PieceHashes, piece * 32, piece * 32 + 32);
    }

    /** The BEP 52 tree of the file with this pieces root, if it is a file of this torrent longer than a piece. */
    public Optional<HashTree> hashTree(byte[] piecesRoot) {
        return Optional.ofNullable(hashTrees.get(HexFormat.of().formatHex(piecesRoot)));
    }

    private static boolean zeros(ByteBuffer data, int from, int to) {
        for (int i = from; i < to; i++) {
            if (data.get(i) != 0) {
                return false;
            }
        }
        return true;
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is part of every JDK", e);
        }
    }

    @Override
    public String toString() {
        return metainfo.name() + " (" + key + ")";
    }
}
