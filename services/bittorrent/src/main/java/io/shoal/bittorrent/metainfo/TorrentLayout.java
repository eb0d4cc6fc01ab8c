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

    /** A torrent of one file, named {@code name}. */
    public static TorrentLayout singleFile(String name, long length, int pieceLength, TorrentFormat format)
            throws MetainfoException {
        FileNames.checkComponent(name);
        PieceLengthPolicy.check(pieceLength);
        List<FileEntry> files = new ArrayList<>();
        files.add(FileEntry.of(length, name));
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
        for (FileEntry file : sorted) {
            FileNames.checkPath(file.path());
        }
        Comparator<FileEntry> order = format == TorrentFormat.V1
                ? Comparator.comparing(FileEntry::joinedPath, TorrentLayout::compareUtf8)
                : TorrentLayout::compareComponents;
        sorted.sort(order);
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i - 1).path().equals(sorted.get(i).path())) {
                throw new MetainfoException("duplicate path " + sorted.get(i).joinedPath());
            }
            if (isPrefix(sorted.get(i - 1).path(), sorted.get(i).path())) {
                throw new MetainfoException(sorted.get(i - 1).joinedPath() + " is both a file and a directory");
            }
        }
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

    private static boolean isPrefix(List<String> a, List<String> b) {
        return a.size() < b.size() && b.subList(0, a.size()).equals(a);
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
