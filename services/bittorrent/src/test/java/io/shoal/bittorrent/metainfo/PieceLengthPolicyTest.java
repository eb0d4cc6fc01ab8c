package io.shoal.bittorrent.metainfo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PieceLengthPolicyTest {

    static final long GiB = 1L << 30;

    @Test
    void vmImagesGetAboutTwoThousandPiecesWithinBounds() {
        assertEquals(256 * 1024, PieceLengthPolicy.forSize(1000));
        assertEquals(1 << 20, PieceLengthPolicy.forSize(GiB));          // 1024 pieces
        assertEquals(8 << 20, PieceLengthPolicy.forSize(10 * GiB));     // 1280 pieces
        assertEquals(8 << 20, PieceLengthPolicy.forSize(100 * GiB));    // capped: 12800 pieces
    }
}
