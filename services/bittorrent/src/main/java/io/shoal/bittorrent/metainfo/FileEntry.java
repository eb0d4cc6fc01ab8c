package io.shoal.bittorrent.metainfo;

import java.util.List;

/**
 * One file of a torrent: its path below the torrent's name, its length, and whether it is a BEP 47 pad
 * file (zeros that align the next file to a piece boundary in hybrid torrents).
 */
public record FileEntry(List<String> path, long length, boolean pad) {

    public FileEntry {
        path = List.copyOf(path);
        if (length < 0) {
            throw new IllegalArgumentException("file length: " + length + " (expected: >= 0)");
        }
    }

    public static FileEntry of(long length, String... path) {
        return new FileEntry(List.of(path), length, false);
    }

    /** BEP 47 as libtorrent writes it: {@code .pad/<length>}. */
    static FileEntry padding(long length) {
        return new FileEntry(List.of(".pad", Long.toString(length)), length, true);
    }

    /** The path joined with '/', the order mktorrent sorts a directory's files in. */
    public String joinedPath() {
        return String.join("/", path);
    }
}
