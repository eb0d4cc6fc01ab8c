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
 * zeros they are without being fed. Memory stays bounded: with {@code threads > 1}, whole pieces are
 * hashed on a pool with at most {@code 2 × threads} piece buffers in flight, and {@link #update} waits for
 * a free buffer. Of a v2 file only its piece layer is kept (32 bytes a piece), never all its leaves.
 */
public final class PieceHasher implements AutoCloseable {

    private static final ThreadLocal<MessageDigest> SHA1 = ThreadLocal.withInitial(() -> digest("SHA-1"));
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> digest("SHA-256"));
    private static final byte[] ZEROS = new byte[MerkleTree.BLOCK];

    private final TorrentLayout layout;
    private final int pieceLength;
    private final int blocksPerPiece;
    private final List<FileEntry> files;
    private final byte[] v1Pieces;
    private final byte[][] pieceLayers;
    private final byte[][] roots;

    private final ExecutorService pool;
    private final BlockingQueue<byte[]> buffers;
    private final Phaser inFlight = new Phaser(1);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    private int fileIndex;
    private long fileRemaining;
    private int pieceInFile;
    private int v1Index;
    private byte[] buffer;
    private int fill;
    private long fed;
    private boolean finished;

    private PieceHasher(TorrentLayout layout, int threads) {
        this.layout = layout;
        this.pieceLength = layout.pieceLength();
        this.blocksPerPiece = pieceLength / MerkleTree.BLOCK;
        this.files = layout.contentFiles();
        long v1Count = layout.format().hasV1() ? layout.v1PieceCount() : 0;
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
        } else {
            pool = null;
            buffers = new ArrayBlockingQueue<>(1);
            buffers.add(new byte[pieceLength]);
        }
        fileIndex = -1;
        nextFile();
    }

    /** @param threads 1 hashes on the caller's thread; more spread whole pieces over a pool */
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
            ensureBuffer();
            int n = (int) Math.min(Math.min(bytes.remaining(), pieceLength - fill), fileRemaining);
            bytes.get(buffer, fill, n);
            fill += n;
            fileRemaining -= n;
            fed += n;
            if (fill == pieceLength) {
                submit(fill, false);
            }
            if (fileRemaining == 0) {
                endFile();
            }
        }
    }

    private void ensureBuffer() {
        if (buffer == null) {
            try {
                buffer = buffers.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while hashing", e);
            }
            fill = 0;
        }
    }

    /**
     * At the end of a content file: in v2 and hybrid torrents the next file starts a new piece. In a
     * multi-file hybrid torrent a pad file follows, and the v1 hash of this last piece covers its zeros; a
     * single-file torrent has no pad files, so there the last v1 piece is short.
     */
    private void endFile() {
        if (layout.format().hasV2() && fill > 0) {
            submit(fill, layout.format() == TorrentFormat.HYBRID && !layout.singleFile());
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
                if (layout.format().hasV2()) {
                    long pieces = (file.length() + pieceLength - 1) / pieceLength;
                    pieceLayers[fileIndex] = file.length() > pieceLength ? new byte[(int) pieces * MerkleTree.HASH] : new byte[0];
                }
            }
        } while (fileIndex < files.size() && files.get(fileIndex).length() == 0);
    }

    /**
     * Hands the current buffer over as one piece.
     *
     * @param padV1 a hybrid torrent's last piece of a file: its v1 hash covers the pad file's zeros
     */
    private void submit(int length, boolean padV1) {
        byte[] piece = buffer;
        buffer = null;
        fill = 0;
        int v1 = layout.format().hasV1() ? v1Index++ : -1;
        int file = layout.format().hasV2() ? fileIndex : -1;
        int indexInFile = pieceInFile++;
        boolean wholeFileInPiece = file >= 0 && files.get(file).length() <= pieceLength;
        Runnable job = () -> {
            try {
                hashPiece(piece, length, padV1, v1, file, indexInFile, wholeFileInPiece);
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
            } finally {
                buffers.add(piece);
            }
        };
        if (pool == null) {
            job.run();
        } else {
            inFlight.register();
            pool.execute(() -> {
                try {
                    job.run();
                } finally {
                    inFlight.arriveAndDeregister();
                }
            });
        }
    }

    private void hashPiece(byte[] piece, int length, boolean padV1, int v1, int file, int indexInFile,
                           boolean wholeFileInPiece) {
        if (v1 >= 0) {
            MessageDigest sha1 = SHA1.get();
            sha1.update(piece, 0, length);
            for (int zeros = padV1 ? pieceLength - length : 0; zeros > 0; zeros -= Math.min(zeros, ZEROS.length)) {
                sha1.update(ZEROS, 0, Math.min(zeros, ZEROS.length));
            }
            MerkleTree.digestIntoSha1(sha1, v1Pieces, v1 * 20);
        }
        if (file >= 0) {
            MessageDigest sha256 = SHA256.get();
            int leaves = (length + MerkleTree.BLOCK - 1) / MerkleTree.BLOCK;
            byte[] leafHashes = new byte[leaves * MerkleTree.HASH];
            for (int i = 0; i < leaves; i++) {
                int start = i * MerkleTree.BLOCK;
                sha256.update(piece, start, Math.min(MerkleTree.BLOCK, length - start));
                MerkleTree.digestInto(sha256, leafHashes, i * MerkleTree.HASH);
            }
            if (wholeFileInPiece) {
                // BEP 52: a file of at most one piece has no piece layer; its root spans only its own blocks.
                roots[file] = MerkleTree.root(leafHashes, leaves, MerkleTree.paddedCount(leaves), new byte[MerkleTree.HASH], sha256);
            } else {
                byte[] pieceRoot = MerkleTree.root(leafHashes, leaves, blocksPerPiece, new byte[MerkleTree.HASH], sha256);
                System.arraycopy(pieceRoot, 0, pieceLayers[file], indexInFile * MerkleTree.HASH, MerkleTree.HASH);
            }
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
        if (layout.format() == TorrentFormat.V1 && fill > 0) {
            submit(fill, false);
        }
        inFlight.arriveAndAwaitAdvance();
        close();
        if (failure.get() != null) {
            throw new MetainfoException("hashing failed: " + failure.get(), failure.get());
        }
        List<PieceHashes.FileHashes> fileHashes = new ArrayList<>();
        if (layout.format().hasV2()) {
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
