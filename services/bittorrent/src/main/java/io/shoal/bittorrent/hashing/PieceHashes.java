package io.shoal.bittorrent.hashing;

import java.util.List;

/**
 * What hashing a torrent's content gives: the v1 {@code pieces} string (20 bytes a piece, empty for v2
 * torrents) and, for v2 and hybrid torrents, one {@link FileHashes} per content file in layout order.
 */
public record PieceHashes(byte[] v1Pieces, List<FileHashes> files) {

    public PieceHashes {
        v1Pieces = v1Pieces.clone();
        files = List.copyOf(files);
    }

    @Override
    public byte[] v1Pieces() {
        return v1Pieces.clone();
    }

    /**
     * BEP 52 hashes of one file: its {@code pieces root} (absent for an empty file) and its piece layer
     * (32 bytes a piece; empty when the file fits in one piece, where the root says everything).
     */
    public record FileHashes(byte[] piecesRoot, byte[] pieceLayer) {

        public FileHashes {
            piecesRoot = piecesRoot == null ? null : piecesRoot.clone();
            pieceLayer = pieceLayer.clone();
        }

        @Override
        public byte[] piecesRoot() {
            return piecesRoot == null ? null : piecesRoot.clone();
        }

        @Override
        public byte[] pieceLayer() {
            return pieceLayer.clone();
        }

        public boolean empty() {
            return piecesRoot == null;
        }
    }
}
