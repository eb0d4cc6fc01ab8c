package io.shoal.seeder.storage;

import java.io.IOException;

/** Ranged reads from Shoal's bucket: a piece spans one or more objects (files), read a range each. */
@FunctionalInterface
public interface ObjectRanges {

    /**
     * Exactly {@code length} bytes of the object from {@code offset}, into {@code into} at {@code at} (no
     * copy in between: pieces are large); fewer is an error.
     */
    void read(String objectKey, long offset, byte[] into, int at, int length) throws IOException;
}
