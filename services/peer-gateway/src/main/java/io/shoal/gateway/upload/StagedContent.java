package io.shoal.gateway.upload;

import io.shoal.bittorrent.hashing.PieceHasher;
import io.shoal.objectstore.ObjectUpload;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * One file's bytes streamed into a new, not yet visible object, hashed on the way (SHA-256 of the file,
 * and the torrent's piece hashes when a hasher is given). The caller then {@link #keep()}s the object or
 * {@link #discard()}s it, when the store already holds the same content.
 */
public final class StagedContent {

    private static final int CHUNK = 1024 * 1024;

    private final ObjectUpload upload;
    private final String sha256;
    private final long length;

    private StagedContent(ObjectUpload upload, String sha256, long length) {
        this.upload = upload;
        this.sha256 = sha256;
        this.length = length;
    }

    /**
     * Reads {@code body} to its end into {@code upload}. With {@code expectedLength} present the body must
     * hold exactly that many bytes (a client that stops early has disconnected).
     */
    public static StagedContent stream(InputStream body, Optional<Long> expectedLength, ObjectUpload upload,
                                       Optional<PieceHasher> hasher, long maxLength) throws IOException, TooLargeException {
        MessageDigest sha256 = newSha256();
        byte[] chunk = new byte[CHUNK];
        long total = 0;
        try {
            while (true) {
                int n = body.readNBytes(chunk, 0, chunk.length);
                if (n == 0) {
                    break;
                }
                total += n;
                if (total > maxLength || (expectedLength.isPresent() && total > expectedLength.get())) {
                    throw new TooLargeException(maxLength);
                }
                sha256.update(chunk, 0, n);
                if (hasher.isPresent()) {
                    hasher.get().update(chunk, 0, n);
                }
                upload.write(chunk, 0, n);
                if (n < chunk.length) {
                    break;
                }
            }
            if (expectedLength.isPresent() && total != expectedLength.get()) {
                throw new ClientAbortException("the body ended after " + total + " of " + expectedLength.get() + " bytes");
            }
        } catch (IOException | TooLargeException | RuntimeException e) {
            upload.abort();
            throw e;
        }
        return new StagedContent(upload, HexFormat.of().formatHex(sha256.digest()), total);
    }

    public String sha256() {
        return sha256;
    }

    public long length() {
        return length;
    }

    /** Makes the object visible; returns its key. */
    public String keep() throws IOException {
        upload.complete();
        return upload.key();
    }

    /** Drops the object: nothing of it stays in the store. */
    public void discard() {
        upload.abort();
    }

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The body is longer than allowed. */
    public static final class TooLargeException extends Exception {
        public TooLargeException(long limit) {
            super("the body is longer than " + limit + " bytes");
        }
    }
}
