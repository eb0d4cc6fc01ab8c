package io.shoal.bittorrent.metainfo;

/**
 * Picks a piece length for a torrent of a given size.
 *
 * <p>Aim for about 2000 pieces, between 256 KiB and 8 MiB. A leecher can share a piece only once it has
 * all of it and checked its hash, so smaller pieces let a swarm trade sooner; every piece costs 20 bytes
 * of v1 hash (plus 32 of v2 piece layer) in the .torrent and a hash check on every peer, so pieces must not
 * be tiny for VM images of 1-100 GiB. At 100 GiB this gives 8 MiB pieces: 12,800 of them, a 256 KB v1
 * {@code pieces} string, and one ranged GET per 8 MiB for a seeder reading from the object store.
 */
public final class PieceLengthPolicy {

    public static final int MIN = 256 * 1024;
    public static final int MAX = 8 * 1024 * 1024;
    public static final int TARGET_PIECES = 2000;
    /** BEP 52: pieces are whole 16 KiB blocks, and a power of two. */
    public static final int SMALLEST_ALLOWED = 16 * 1024;

    private PieceLengthPolicy() {
    }

    public static int forSize(long totalBytes) {
        long wanted = Math.max(1, totalBytes / TARGET_PIECES);
        long length = Long.highestOneBit(wanted);
        if (length < wanted) {
            length <<= 1;
        }
        return (int) Math.min(MAX, Math.max(MIN, length));
    }

    /** A piece length a user asked for: a power of two, at least 16 KiB (BEP 52), at most 64 MiB. */
    public static void check(long pieceLength) throws MetainfoException {
        if (pieceLength < SMALLEST_ALLOWED || pieceLength > 64L * 1024 * 1024 || Long.bitCount(pieceLength) != 1) {
            throw new MetainfoException("piece length " + pieceLength
                    + " (expected: a power of two from 16384 to 67108864)");
        }
    }
}
