package io.shoal.bittorrent.hashing;

import io.shoal.bittorrent.bencode.BDict;
import io.shoal.bittorrent.bencode.BList;
import io.shoal.bittorrent.bencode.BString;
import io.shoal.bittorrent.bencode.BValue;
import io.shoal.bittorrent.bencode.BencodeDecoder;
import io.shoal.bittorrent.bencode.BencodeEncoder;
import io.shoal.bittorrent.bencode.BencodeException;
import io.shoal.bittorrent.bencode.BencodeLimits;
import io.shoal.bittorrent.metainfo.FileEntry;
import io.shoal.bittorrent.metainfo.MetainfoException;
import io.shoal.bittorrent.metainfo.TorrentLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * Piece hashes as they travel from the upload to the torrent builder: a bencoded dictionary
 * {@code {"files": [{"layer": …, "root": …}, …], "pieces": …}}. Decoding checks every length against
 * the layout the hashes claim to describe, so a torrent is never built from hashes of other content.
 */
public final class PieceHashesCodec {

    private static final int SHA1 = 20;

    private PieceHashesCodec() {
    }

    public static byte[] encode(PieceHashes hashes) {
        List<BValue> files = new ArrayList<>();
        for (PieceHashes.FileHashes file : hashes.files()) {
            BDict.Builder entry = BDict.builder().put("layer", file.pieceLayer());
            if (!file.empty()) {
                entry.put("root", file.piecesRoot());
            }
            files.add(entry.build());
        }
        return BencodeEncoder.encode(BDict.builder()
                .put("pieces", hashes.v1Pieces())
                .put("files", new BList(files))
                .build());
    }

    public static PieceHashes decode(byte[] encoded, TorrentLayout layout) throws MetainfoException {
        BDict dict;
        try {
            dict = BencodeDecoder.decodeDict(encoded, new BencodeLimits(4, 256 * 1024 * 1024, 4_000_000));
        } catch (BencodeException e) {
            throw new MetainfoException("piece hashes: " + e.getMessage(), e);
        }
        byte[] pieces = bytes(dict.get("pieces").orElse(null), "pieces");
        long expectedPieces = layout.format().hasV1() ? layout.v1PieceCount() : 0;
        if (pieces.length != expectedPieces * SHA1) {
            throw new MetainfoException("piece hashes: pieces of " + pieces.length + " bytes (expected: "
                    + expectedPieces * SHA1 + ")");
        }
        List<PieceHashes.FileHashes> files = new ArrayList<>();
        if (!(dict.get("files").orElse(null) instanceof BList list)) {
            throw new MetainfoException("piece hashes: files is not a list");
        }
        List<FileEntry> content = layout.contentFiles();
        int expectedFiles = layout.format().hasV2() ? content.size() : 0;
        if (list.size() != expectedFiles) {
            throw new MetainfoException("piece hashes: " + list.size() + " files (expected: " + expectedFiles + ")");
        }
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof BDict entry)) {
                throw new MetainfoException("piece hashes: file " + i + " is not a dictionary");
            }
            long length = content.get(i).length();
            byte[] layer = bytes(entry.get("layer").orElse(null), "layer");
            long expectedLayer = length > layout.pieceLength()
                    ? (length + layout.pieceLength() - 1) / layout.pieceLength() * MerkleTree.HASH : 0;
            if (layer.length != expectedLayer) {
                throw new MetainfoException("piece hashes: file " + i + " layer of " + layer.length
                        + " bytes (expected: " + expectedLayer + ")");
            }
            byte[] root = entry.get("root").isPresent() ? bytes(entry.get("root").get(), "root") : null;
            if ((root == null) != (length == 0) || (root != null && root.length != MerkleTree.HASH)) {
                throw new MetainfoException("piece hashes: file " + i + " has a wrong pieces root");
            }
            files.add(new PieceHashes.FileHashes(root, layer));
        }
        return new PieceHashes(pieces, files);
    }

    private static byte[] bytes(BValue value, String key) throws MetainfoException {
        if (value instanceof BString string) {
            return string.bytes();
        }
        throw new MetainfoException("piece hashes: " + key + " is missing or not a byte string");
    }
}
