package io.shoal.seeder.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class CacheSizeTest {

    @Test
    void bytes_and_units() {
        assertEquals(134_217_728, CacheSize.of("134217728").bytes(1L << 30));
        assertEquals(512L << 20, CacheSize.of("512M").bytes(1L << 30));
        assertEquals(2L << 30, CacheSize.of(" 2g ").bytes(1L << 30));
        assertEquals(64L << 10, CacheSize.of("64K").bytes(1L << 30));
    }

    @Test
    void a_share_of_the_heap_follows_the_heap() {
        CacheSize share = CacheSize.of("40%");
        assertEquals(400L << 20, share.bytes(1000L << 20));
        assertEquals(800L << 20, share.bytes(2000L << 20));
    }

    @Test
    void nonsense_is_refused_with_what_was_expected() {
        for (String bad : new String[] {"", "0", "-5", "95%", "0%", "lots", "12X", "99999999999999G"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CacheSize.of(bad), bad);
            assertEquals(true, e.getMessage().contains("expected"), e.getMessage());
        }
    }
}
