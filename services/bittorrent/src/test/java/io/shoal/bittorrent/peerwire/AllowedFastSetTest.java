package io.shoal.bittorrent.peerwire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shoal.bittorrent.metainfo.InfoHash;
import java.net.InetAddress;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** BEP 6's own example: peer 80.4.4.200, an info-hash of twenty 0xaa bytes, 1313 pieces. */
class AllowedFastSetTest {

    private static final InfoHash HASH = InfoHash.fromHex("aa".repeat(20));

    @Test
    void theSpecsSevenAndNinePieceSets() throws Exception {
        InetAddress peer = InetAddress.getByName("80.4.4.200");
        assertEquals(List.of(1059, 431, 808, 1217, 287, 376, 1188), List.copyOf(AllowedFastSet.of(7, peer, HASH, 1313)));
        assertEquals(List.of(1059, 431, 808, 1217, 287, 376, 1188, 353, 508), List.copyOf(AllowedFastSet.of(9, peer, HASH, 1313)));
    }

    @Test
    void theSameSlash24GetsTheSameSetAndASmallTorrentAllOfIt() throws Exception {
        assertEquals(AllowedFastSet.of(7, InetAddress.getByName("80.4.4.200"), HASH, 1313),
                AllowedFastSet.of(7, InetAddress.getByName("80.4.4.1"), HASH, 1313));
        assertEquals(Set.of(0, 1, 2), AllowedFastSet.of(10, InetAddress.getByName("10.0.0.1"), HASH, 3));
        assertTrue(AllowedFastSet.of(10, InetAddress.getByName("::1"), HASH, 1313).isEmpty(), "IPv4 only");
    }
}
