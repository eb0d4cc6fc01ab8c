package io.shoal.bittorrent.metainfo;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The files of a torrent in the order their bytes are hashed, with the pad files a hybrid torrent needs.
 *
 * <p>The order is the reference tools' order, so that Shoal's info dictionary is byte-identical to
 * theirs: mktorrent (v1) sorts by the joined path in byte order; libtorrent (hybrid, v2) walks the BEP 52
 * file tree, which sorts component by component ({@code sub/a} before {@code sub-x}). libtorrent puts a
 * pad file after every file that does not end on a piece boundary, the last one included.
 */
public record TorrentLayout(String name, int pieceLength, TorrentFormat format, boolean singleFile,
                            List<FileEntry> files) {

    public TorrentLayout {
        files = List.copyOf(files);
    }

    /**
     * The limits every layout keeps, whoever builds it: content of at most {@link MetainfoParser#MAX_TOTAL_LENGTH}
     * bytes (lengths that would overflow are refused, not wrapped) in at most {@link PieceLengthPolicy#MAX_PIECES}
     * pieces (counted per file, the most a v2 layout can need).
     */
    private static void checkSize(List<FileEntry> files, int pieceLength) throws MetainfoException {
        long total = 0;
        long pieces = 0;
        for (FileEntry file : files) {
            if (file.length() > MetainfoParser.MAX_TOTAL_LENGTH - total) {
                throw new MetainfoException("total length over " + MetainfoParser.MAX_TOTAL_LENGTH + " bytes");
            }
            total += file.length();
            pieces += (file.length() + pieceLength - 1) / pieceLength;
        }
        PieceLengthPolicy.checkPieceCount(pieces, total, pieceLength);
    }

    /** A torrent of one file, named {@code name}. */
    public static TorrentLayout singleFile(String name, long length, int pieceLength, TorrentFormat format)
            throws MetainfoException {
        FileNames.checkComponent(name);
        PieceLengthPolicy.check(pieceLength);
        List<FileEntry> files = new ArrayList<>();
        files.add(FileEntry.of(length, name));
        checkSize(files, pieceLength);
        return new TorrentLayout(name, pieceLength, format, true, files);
    }

    /** A torrent of several files below a directory called {@code name}; paths are relative to it. */
    public static TorrentLayout multiFile(String name, List<FileEntry> files, int pieceLength, TorrentFormat format)
            throws MetainfoException {
        FileNames.checkComponent(name);
        PieceLengthPolicy.check(pieceLength);
        if (files.isEmpty()) {
            throw new MetainfoException("a multi-file torrent with no files");
        }
        List<FileEntry> sorted = new ArrayList<>(files);
        java.util.Set<List<String>> paths = new java.util.HashSet<>();
        java.util.Set<List<String>> directories = new java.util.HashSet<>();
        for (FileEntry file : sorted) {
            FileNames.checkPath(file.path());
            if (!paths.add(file.path())) {
                throw new MetainfoException("duplicate path " + file.joinedPath());
            }
            for (int i = 1; i < file.path().size(); i++) {
                directories.add(file.path().subList(0, i));
            }
        }
        // Not only sorted neighbours: a, a.txt, a/b sort with a.txt between the file a and the directory a.
        for (List<String> path : paths) {
            if (directories.contains(path)) {
                throw new MetainfoException(String.join("/", path) + " is both a file and a directory");
            }
        }
        checkSize(sorted, pieceLength);
        Comparator<FileEntry> order = format == TorrentFormat.V1
                ? Comparator.comparing(FileEntry::joinedPath, TorrentLayout::compareUtf8)
                : TorrentLayout::compareComponents;
        sorted.sort(order);
        List<FileEntry> laidOut = new ArrayList<>();
        for (FileEntry file : sorted) {
            laidOut.add(file);
            long remainder = file.length() % pieceLength;
            if (format == TorrentFormat.HYBRID && remainder != 0) {
                laidOut.add(FileEntry.padding(pieceLength - remainder));
            }
        }
        return new TorrentLayout(name, pieceLength, format, false, laidOut);
    }

    static int compareUtf8(String a, String b) {
        return java.util.Arrays.compareUnsigned(a.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                b.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static int compareComponents(FileEntry a, FileEntry b) {
        int n = Math.min(a.path().size(), b.path().size());
        for (int i = 0; i < n; i++) {
            int c = compareUtf8(a.path().get(i), b.path().get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.path().size(), b.path().size());
    }

    /** The files that hold content, without pad files. */
    public List<FileEntry> contentFiles() {
        return files.stream().filter(f -> !f.pad()).toList();
    }

    /** Bytes of content, without pad files. */
    public long contentLength() {
        return contentFiles().stream().mapToLong(FileEntry::length).sum();
    }

    /** Bytes the v1 pieces cover: the content and, in a hybrid torrent, the pad files. */
    public long v1Length() {
        return files.stream().mapToLong(FileEntry::length).sum();
    }

    public long v1PieceCount() {
        return (v1Length() + pieceLength - 1) / pieceLength;
    }
}
