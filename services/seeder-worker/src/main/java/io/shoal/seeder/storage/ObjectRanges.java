package io.shoal.seeder.storage;

import java.io.IOException;

/** Ranged reads from the object store: a piece spans one or more objects (files), read a range each. */
public interface ObjectRanges {

    /** Exactly {@code length} bytes of the object from {@code offset}; fewer is an error. */
    byte[] read(String bucket, String objectKey, long offset, int length) throws IOException;
}
