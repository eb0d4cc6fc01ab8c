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
    /**
     * The most pieces a torrent may have: 20 MB of v1 hashes and 32 MB of v2 piece layers, so a hybrid .torrent
     * stays under {@link Metainfo#MAX_TORRENT_BYTES} and its {@code pieces} string under the bencode string limit
     * every parser (ours included) enforces. 16 KiB pieces on a 26 GiB file would make a torrent nobody can load.
     */
    public static final int MAX_PIECES = 1_000_000;

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

    /** Content of {@code totalBytes} in pieces of {@code pieceLength} makes at most {@link #MAX_PIECES} pieces. */
    public static void checkPieceCount(long pieces, long totalBytes, int pieceLength) throws MetainfoException {
        if (pieces > MAX_PIECES) {
            long smallest = Long.highestOneBit(Math.max(1, (totalBytes + MAX_PIECES - 1) / MAX_PIECES));
            smallest = smallest * MAX_PIECES < totalBytes ? smallest << 1 : smallest;
            throw new MetainfoException("piece length " + pieceLength + " makes " + pieces + " pieces of " + totalBytes
                    + " bytes (expected: at most " + MAX_PIECES + " pieces; a piece length of at least "
                    + Math.max(smallest, SMALLEST_ALLOWED) + ")");
        }
    }

    /** A piece length a user asked for: a power of two, at least 16 KiB (BEP 52), at most 64 MiB. */
    public static void check(long pieceLength) throws MetainfoException {
        if (pieceLength < SMALLEST_ALLOWED || pieceLength > 64L * 1024 * 1024 || Long.bitCount(pieceLength) != 1) {
            throw new MetainfoException("piece length " + pieceLength
                    + " (expected: a power of two from 16384 to 67108864)");
        }
    }
}
