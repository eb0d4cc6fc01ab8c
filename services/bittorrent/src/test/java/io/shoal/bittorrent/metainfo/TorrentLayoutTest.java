package io.shoal.bittorrent.metainfo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The limits of a layout, which metadata also applies to the layouts hostile events describe. */
class TorrentLayoutTest {

    static final int PIECE = 16 * 1024;

    @Test
    void file_and_directory_of_the_same_name_apart_in_sort_order() {
        // v1 sorts by the joined path: "a", "a.txt", "a/b" — the file a and the directory a are not neighbours.
        for (TorrentFormat format : TorrentFormat.values()) {
            MetainfoException e = assertThrows(MetainfoException.class, () -> TorrentLayout.multiFile("set",
                    List.of(FileEntry.of(1, "a"), FileEntry.of(1, "a.txt"), FileEntry.of(1, "a", "b")), PIECE, format));
            assertEquals("a is both a file and a directory", e.getMessage(), format.toString());
        }
        assertThrows(MetainfoException.class, () -> TorrentLayout.multiFile("set",
                List.of(FileEntry.of(1, "x", "y"), FileEntry.of(1, "x-1"), FileEntry.of(1, "x", "y", "z")), PIECE, TorrentFormat.V1));
    }

    @Test
    void duplicate_paths_anywhere_in_the_list() {
        assertThrows(MetainfoException.class, () -> TorrentLayout.multiFile("set",
                List.of(FileEntry.of(1, "a"), FileEntry.of(1, "b"), FileEntry.of(2, "a")), PIECE, TorrentFormat.V1));
    }

    @Test
    void piece_length_too_small_for_the_size_names_the_smallest_that_fits() {
        long size = 26L << 30; // 16 KiB pieces: 1.7 million, a pieces string over the bencode limit
        MetainfoException e = assertThrows(MetainfoException.class,
                () -> TorrentLayout.singleFile("big.img", size, PIECE, TorrentFormat.V1));
        assertTrue(e.getMessage().contains("a piece length of at least 32768"), e.getMessage());
        TorrentLayout fits = assertDoesNotThrow(size);
        assertTrue(fits.v1PieceCount() <= PieceLengthPolicy.MAX_PIECES);
    }

    private static TorrentLayout assertDoesNotThrow(long size) {
        try {
            return TorrentLayout.singleFile("big.img", size, 32 * 1024, TorrentFormat.V1);
        } catch (MetainfoException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void lengths_that_would_overflow_are_refused_not_wrapped() {
        MetainfoException e = assertThrows(MetainfoException.class, () -> TorrentLayout.multiFile("set",
                List.of(FileEntry.of(Long.MAX_VALUE - 10, "a"), FileEntry.of(Long.MAX_VALUE - 10, "b")), 1 << 22, TorrentFormat.V1));
        assertTrue(e.getMessage().startsWith("total length over"), e.getMessage());
    }
}
