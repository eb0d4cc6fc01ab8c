package io.shoal.objectstore;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shoal.infra.Ports;
import io.shoal.infra.RepoLayout;
import io.shoal.infra.S3Store;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every call of the {@link BlobStore} against a real S3-compatible store (s3proxy). */
class MinioBlobStoreTest {

    @TempDir
    static Path dir;
    private static S3Store s3;
    private static MinioBlobStore blobs;

    @BeforeAll
    static void startStore() throws Exception {
        s3 = S3Store.start(dir, Ports.free(), "shoal", "blob-store-secret", RepoLayout.find().s3proxyJar(),
                dir.resolve("s3proxy.log"), "-Dshoal.home=" + dir);
        s3.createBucket("shoal");
        blobs = new MinioBlobStore(new ObjectStoreReadinessCheckTest.Config(s3.endpoint(), "shoal", "blob-store-secret"));
    }

    @AfterAll
    static void stopStore() throws Exception {
        blobs.close();
        s3.close();
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    @Test
    void putReadOpenRangeSizeAndRemove() throws Exception {
        byte[] bytes = random(100_000);
        blobs.put("t/one", bytes, "application/octet-stream");
        assertArrayEquals(bytes, blobs.read("t/one", 100_000).orElseThrow());
        try (InputStream in = blobs.open("t/one").orElseThrow()) {
            assertArrayEquals(bytes, in.readAllBytes());
        }
        byte[] range = new byte[10];
        blobs.readRange("t/one", 500, range, 0, 10);
        assertArrayEquals(Arrays.copyOfRange(bytes, 500, 510), range);
        ByteBuffer direct = ByteBuffer.allocateDirect(90_000);
        blobs.readRange("t/one", 10_000, direct);
        byte[] fromDirect = new byte[90_000];
        direct.flip().get(fromDirect);
        assertArrayEquals(Arrays.copyOfRange(bytes, 10_000, 100_000), fromDirect, "into off-heap memory");
        try (InputStream in = blobs.open("t/one", 99_000, 1_000).orElseThrow()) {
            assertArrayEquals(Arrays.copyOfRange(bytes, 99_000, 100_000), in.readAllBytes(), "a ranged stream");
        }
        assertEquals(Optional.of(100_000L), blobs.size("t/one"));
        blobs.remove("t/one");
        assertEquals(Optional.empty(), blobs.size("t/one"));
        blobs.remove("t/one"); // not there: no error
    }

    @Test
    void aMissingObjectIsEmptyAndAnOversizedOneIsRefused() throws Exception {
        assertEquals(Optional.empty(), blobs.read("t/none", 10));
        assertEquals(Optional.empty(), blobs.open("t/none"));
        assertEquals(Optional.empty(), blobs.open("t/none", 0, 10));
        blobs.put("t/big", random(1001), "application/octet-stream");
        BlobStore.TooLargeException e = assertThrows(BlobStore.TooLargeException.class, () -> blobs.read("t/big", 1000));
        assertTrue(e.getMessage().contains("expected: <= 1000"), e.getMessage());
        assertThrows(IOException.class, () -> blobs.readRange("t/big", 995, new byte[10], 0, 10), "a range past the end");
        assertThrows(IOException.class, () -> blobs.readRange("t/big", 995, ByteBuffer.allocateDirect(10)),
                "a range past the end, off-heap");
    }

    @Test
    void listsByPrefixAndFindsAndAbortsUploadsLeftOpen() throws Exception {
        String prefix = "list-" + UUID.randomUUID() + "/";
        blobs.put(prefix + "a", new byte[3], "application/octet-stream");
        blobs.put(prefix + "b/c", new byte[5], "application/octet-stream");
        List<BlobStore.Blob> listed = new ArrayList<>();
        blobs.list(prefix, listed::add);
        assertEquals(List.of(prefix + "a", prefix + "b/c"), listed.stream().map(BlobStore.Blob::key).sorted().toList());
        assertEquals(5, listed.stream().filter(b -> b.key().endsWith("c")).findFirst().orElseThrow().size());

        ObjectUpload open = blobs.upload(prefix + "open", ObjectUpload.MIN_PART_SIZE, 1);
        open.write(random(ObjectUpload.MIN_PART_SIZE + 1), 0, ObjectUpload.MIN_PART_SIZE + 1); // one part sent, never completed
        List<BlobStore.PendingUpload> pending = blobs.pendingUploads(prefix);
        assertEquals(List.of(prefix + "open"), pending.stream().map(BlobStore.PendingUpload::key).toList());
        blobs.abortUpload(pending.getFirst());
        assertEquals(List.of(), blobs.pendingUploads(prefix));
    }
}
