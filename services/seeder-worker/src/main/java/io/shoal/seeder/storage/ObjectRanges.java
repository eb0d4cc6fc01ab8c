package io.shoal.seeder.storage;

import java.io.IOException;
import java.nio.ByteBuffer;

/** Ranged reads from Shoal's bucket: a piece spans one or more objects (files), read a range each. */
@FunctionalInterface
public interface ObjectRanges {

    /**
     * Exactly {@code into.remaining()} bytes of the object from {@code offset}, into {@code into} (off-heap: the
     * piece cache's own memory, filled as the bytes arrive); fewer is an error.
     */
    void read(String objectKey, long offset, ByteBuffer into) throws IOException;
}
