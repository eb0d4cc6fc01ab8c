package io.shoal.bittorrent.metainfo;

/**
 * Which info dictionary a torrent gets. v1 is the default: aria2 1.36 and Transmission 3.00 (what Debian
 * ships) reject v2 and hybrid files.
 */
public enum TorrentFormat {
    /** BEP 3: SHA-1 pieces over the files laid end to end. */
    V1,
    /** BEP 52 and BEP 3 in one info dictionary, files aligned to pieces with BEP 47 pad files. */
    HYBRID,
    /** BEP 52: a merkle tree of SHA-256 block hashes per file. */
    V2;

    /** The name users and events spell it with: {@code v1}, {@code hybrid}, {@code v2}. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static TorrentFormat parse(String name) throws MetainfoException {
        for (TorrentFormat format : values()) {
            if (format.wireName().equals(name)) {
                return format;
            }
        }
        throw new MetainfoException("format '" + name + "' (expected: v1, hybrid or v2)");
    }

    public boolean hasV1() {
        return this != V2;
    }

    public boolean hasV2() {
        return this != V1;
    }
}
