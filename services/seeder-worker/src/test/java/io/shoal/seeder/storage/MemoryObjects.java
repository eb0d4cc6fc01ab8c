package io.shoal.seeder.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Stored objects in memory for the piece store's tests: counts ranged reads; a test may corrupt a byte. */
public final class MemoryObjects implements ObjectRanges {
    public final Map<String, byte[]> bytes = new ConcurrentHashMap<>();
    public final AtomicInteger reads = new AtomicInteger();
    /** Bytes read, by object key. */
    public final Map<String, java.util.concurrent.atomic.AtomicLong> bytesRead = new ConcurrentHashMap<>();

    @Override
    public void read(String key, long offset, ByteBuffer into) throws IOException {
        reads.incrementAndGet();
        byte[] object = bytes.get(key);
        if (object == null || offset + into.remaining() > object.length) {
            throw new IOException("no such range");
        }
        bytesRead.computeIfAbsent(key, k -> new java.util.concurrent.atomic.AtomicLong()).addAndGet(into.remaining());
        into.put(object, (int) offset, into.remaining());
    }
}
