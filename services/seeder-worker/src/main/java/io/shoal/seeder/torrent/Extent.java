package io.shoal.seeder.torrent;

/**
 * A run of a torrent's bytes, at {@code start} in the torrent's piece space: {@code length} bytes of
 * object {@code objectKey} from its beginning, or zeros for a BEP 47 pad file ({@code objectKey} null).
 */
public record Extent(String objectKey, long start, long length) {

    public long end() {
        return start + length;
    }

    public boolean pad() {
        return objectKey == null;
    }
}
