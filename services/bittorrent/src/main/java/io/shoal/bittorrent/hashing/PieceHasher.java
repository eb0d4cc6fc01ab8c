package io.shoal.bittorrent.hashing;

import io.shoal.bittorrent.metainfo.FileEntry;
import io.shoal.bittorrent.metainfo.MetainfoException;
import io.shoal.bittorrent.metainfo.TorrentFormat;
import io.shoal.bittorrent.metainfo.TorrentLayout;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Phaser;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Hashes a torrent's content as it streams past, in one pass: v1 SHA-1 piece hashes and BEP 52 merkle
 * trees. Feed the content files' bytes in layout order ({@link #update}); pad files are hashed as the
 * zeros they are without being fed.
 *
 * <p>On one thread the bytes go straight into running digests (SHA-1 per piece, SHA-256 per 16 KiB
 * leaf), with no copy. On more, whole pieces are copied into at most {@code 2 × threads} buffers and
 * hashed on a pool, and {@link #update} waits for a free buffer. Either way memory stays bounded: of a
 * v2 file only its piece layer is kept (32 bytes a piece), never all its leaves.
 */
public final class PieceHasher implements AutoCloseable {

    private static final ThreadLocal<MessageDigest> SHA1 = ThreadLocal.withInitial(() -> digest("SHA-1"));
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> digest("SHA-256"));
    private static final byte[] ZEROS = new byte[MerkleTree.BLOCK];

    private final TorrentLayout layout;
    private final boolean v1;
    private final boolean v2;
    private final int pieceLength;
    private final int blocksPerPiece;
    private final List<FileEntry> files;
    private final byte[] v1Pieces;
    private final byte[][] pieceLayers;
    private final byte[][] roots;

    // Pooled hashing (threads > 1).
    private final ExecutorService pool;
    private final BlockingQueue<byte[]> buffers;
    private final Phaser inFlight = new Phaser(1);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private byte[] buffer;

    // Inline hashing (one thread): the running digests of the current piece and leaf.
    private final MessageDigest pieceSha1;
    private final MessageDigest leafSha256;
    private final byte[] leafHashes;
    private int leaves;
    private int leafFill;

    private int fileIndex = -1;
    private long fileRemaining;
    private int pieceInFile;
    private int v1Index;
    private int pieceFill;
    private long fed;
    private boolean finished;

    private PieceHasher(TorrentLayout layout, int threads) {
        this.layout = layout;
        this.v1 = layout.format().hasV1();
        this.v2 = layout.format().hasV2();
        this.pieceLength = layout.pieceLength();
        this.blocksPerPiece = pieceLength / MerkleTree.BLOCK;
        this.files = layout.contentFiles();
        long v1Count = v1 ? layout.v1PieceCount() : 0;
        if (v1Count * 20 > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("too many pieces: " + v1Count);
        }
        this.v1Pieces = new byte[(int) v1Count * 20];
        this.pieceLayers = new byte[files.size()][];
        this.roots = new byte[files.size()][];
        if (threads > 1) {
            pool = Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(r, "piece-hasher");
                t.setDaemon(true);
                return t;
            });
            buffers = new ArrayBlockingQueue<>(2 * threads);
            for (int i = 0; i < 2 * threads; i++) {
                buffers.add(new byte[pieceLength]);
            }
            pieceSha1 = null;
            leafSha256 = null;
            leafHashes = null;
        } else {
            pool = null;
            buffers = null;
            pieceSha1 = digest("SHA-1");
            leafSha256 = digest("SHA-256");
            leafHashes = new byte[blocksPerPiece * MerkleTree.HASH];
        }
        nextFile();
    }

    /** @param threads 1 hashes on the caller's thread as bytes arrive; more spread whole pieces over a pool */
    public static PieceHasher create(TorrentLayout layout, int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads: " + threads + " (expected: >= 1)");
        }
        return new PieceHasher(layout, threads);
    }

    public void update(byte[] bytes, int offset, int length) {
        update(ByteBuffer.wrap(bytes, offset, length));
    }

    public void update(ByteBuffer bytes) {
        if (finished) {
            throw new IllegalStateException("update after finish");
        }
        while (bytes.hasRemaining()) {
            if (fileIndex >= files.size()) {
                throw new IllegalStateException("more bytes than the layout's " + layout.contentLength());
            }
            int n = (int) Math.min(Math.min(bytes.remaining(), pieceLength - pieceFill), fileRemaining);
            ByteBuffer slice = bytes.slice(bytes.position(), n);
            bytes.position(bytes.position() + n);
            if (pool == null) {
                hashInline(slice);
            } else {
                copyIntoBuffer(slice);
            }
            pieceFill += n;
            fileRemaining -= n;
            fed += n;
            if (pieceFill == pieceLength) {
                completePiece(false);
            }
            if (fileRemaining == 0) {
                endFile();
            }
        }
    }

    /** Hybrid feeds both digests the same 16 KiB leaf in turn, so the second reads it from L1 cache. */
    private void hashInline(ByteBuffer slice) {
        if (!v2) {
            pieceSha1.update(slice);
            return;
        }
        while (slice.hasRemaining()) {
            int k = Math.min(MerkleTree.BLOCK - leafFill, slice.remaining());
            ByteBuffer leaf = slice.slice(slice.position(), k);
            if (v1) {
                pieceSha1.update(leaf.duplicate());
            }
            leafSha256.update(leaf);
            slice.position(slice.position() + k);
            leafFill += k;
            if (leafFill == MerkleTree.BLOCK) {
                closeLeaf();
            }
        }
    }

    private void closeLeaf() {
        MerkleTree.digestInto(leafSha256, leafHashes, leaves++ * MerkleTree.HASH);
        leafFill = 0;
    }

    private void copyIntoBuffer(ByteBuffer slice) {
        if (buffer == null) {
            try {
                buffer = buffers.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while hashing", e);
            }
        }
        slice.get(buffer, pieceFill, slice.remaining());
    }

    /**
     * At the end of a content file: in v2 and hybrid torrents the next file starts a new piece. In a
     * multi-file hybrid torrent a pad file follows, and the v1 hash of this last piece covers its zeros; a
     * single-file torrent has no pad files, so there the last v1 piece is short.
     */
    private void endFile() {
        if (v2 && pieceFill > 0) {
            completePiece(layout.format() == TorrentFormat.HYBRID && !layout.singleFile());
        }
        nextFile();
    }

    private void nextFile() {
        do {
            fileIndex++;
            if (fileIndex < files.size()) {
                FileEntry file = files.get(fileIndex);
                fileRemaining = file.length();
                pieceInFile = 0;
                if (v2) {
                    long pieces = (file.length() + pieceLength - 1) / pieceLength;
                    pieceLayers[fileIndex] = file.length() > pieceLength ? new byte[(int) pieces * MerkleTree.HASH] : new byte[0];
                }
            }
        } while (fileIndex < files.size() && files.get(fileIndex).length() == 0);
    }

    /** The current piece is complete: {@code pieceFill} bytes of it, {@code padV1} if zeros follow in v1. */
    private void completePiece(boolean padV1) {
        int length = pieceFill;
        int v1At = v1 ? v1Index++ : -1;
        int file = v2 ? fileIndex : -1;
        int indexInFile = pieceInFile++;
        boolean wholeFileInPiece = file >= 0 && files.get(file).length() <= pieceLength;
        pieceFill = 0;
        if (pool == null) {
            if (v1At >= 0) {
                finishV1(pieceSha1, length, padV1, v1At);
            }
            if (file >= 0) {
                if (leafFill > 0) {
                    closeLeaf();
                }
                finishV2(leafHashes, leaves, file, indexInFile, wholeFileInPiece, leafSha256);
                leaves = 0;
            }
            return;
        }
        byte[] piece = buffer;
        buffer = null;
        inFlight.register();
        pool.execute(() -> {
            try {
                hashBuffered(piece, length, padV1, v1At, file, indexInFile, wholeFileInPiece);
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            } finally {
                buffers.add(piece);
                inFlight.arriveAndDeregister();
            }
        });
    }

    private void hashBuffered(byte[] piece, int length, boolean padV1, int v1At, int file, int indexInFile,
                              boolean wholeFileInPiece) {
        if (v1At >= 0) {
            MessageDigest sha1 = SHA1.get();
            sha1.update(piece, 0, length);
            finishV1(sha1, length, padV1, v1At);
        }
        if (file >= 0) {
            MessageDigest sha256 = SHA256.get();
            int count = (length + MerkleTree.BLOCK - 1) / MerkleTree.BLOCK;
            byte[] hashes = new byte[count * MerkleTree.HASH];
            for (int i = 0; i < count; i++) {
                int start = i * MerkleTree.BLOCK;
                sha256.update(piece, start, Math.min(MerkleTree.BLOCK, length - start));
                MerkleTree.digestInto(sha256, hashes, i * MerkleTree.HASH);
            }
            finishV2(hashes, count, file, indexInFile, wholeFileInPiece, sha256);
        }
    }

    private void finishV1(MessageDigest sha1, int length, boolean padV1, int v1At) {
        for (int zeros = padV1 ? pieceLength - length : 0; zeros > 0; zeros -= Math.min(zeros, ZEROS.length)) {
            sha1.update(ZEROS, 0, Math.min(zeros, ZEROS.length));
        }
        MerkleTree.digestIntoSha1(sha1, v1Pieces, v1At * 20);
    }

    /** A piece's leaves to its piece-layer hash, or, for a file of at most one piece, to the file's root. */
    private void finishV2(byte[] leafHashes, int count, int file, int indexInFile, boolean wholeFileInPiece,
                          MessageDigest sha256) {
        if (wholeFileInPiece) {
            // BEP 52: a file of at most one piece has no piece layer; its root spans only its own blocks.
            roots[file] = MerkleTree.root(leafHashes, count, MerkleTree.paddedCount(count), new byte[MerkleTree.HASH], sha256);
        } else {
            byte[] pieceRoot = MerkleTree.root(leafHashes, count, blocksPerPiece, new byte[MerkleTree.HASH], sha256);
            System.arraycopy(pieceRoot, 0, pieceLayers[file], indexInFile * MerkleTree.HASH, MerkleTree.HASH);
        }
    }

    /** Waits for every piece, checks that all content arrived, and completes the merkle trees. */
    public PieceHashes finish() throws MetainfoException {
        if (finished) {
            throw new IllegalStateException("finish called twice");
        }
        finished = true;
        if (fed != layout.contentLength()) {
            close();
            throw new MetainfoException("content ended after " + fed + " of " + layout.contentLength() + " bytes");
        }
        if (layout.format() == TorrentFormat.V1 && pieceFill > 0) {
            completePiece(false);
        }
        inFlight.arriveAndAwaitAdvance();
        close();
        if (failure.get() != null) {
            throw new MetainfoException("hashing failed: " + failure.get(), failure.get());
        }
        List<PieceHashes.FileHashes> fileHashes = new ArrayList<>();
        if (v2) {
            MessageDigest sha256 = SHA256.get();
            byte[] pad = MerkleTree.zeroSubtree(Integer.numberOfTrailingZeros(blocksPerPiece), sha256);
            for (int i = 0; i < files.size(); i++) {
                long length = files.get(i).length();
                if (length == 0) {
                    fileHashes.add(new PieceHashes.FileHashes(null, new byte[0]));
                } else if (length <= pieceLength) {
                    fileHashes.add(new PieceHashes.FileHashes(roots[i], new byte[0]));
                } else {
                    int pieces = pieceLayers[i].length / MerkleTree.HASH;
                    byte[] root = MerkleTree.root(pieceLayers[i], pieces, MerkleTree.paddedCount(pieces), pad, sha256);
                    fileHashes.add(new PieceHashes.FileHashes(root, pieceLayers[i]));
                }
            }
        }
        return new PieceHashes(v1Pieces, fileHashes);
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is part of every JDK", e);
        }
    }
}
