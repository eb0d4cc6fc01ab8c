package io.shoal.objectstore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ObjectKeysTest {

    static final UUID ID = UUID.fromString("0f8e6a52-93f3-4c5e-a0a3-5f1b2c3d4e5f");
    static final UUID OTHER = UUID.fromString("11111111-2222-3333-4444-555555555555");

    @Test
    void an_upload_owns_exactly_the_keys_it_writes() {
        assertTrue(ObjectKeys.isContentOf(ObjectKeys.content(ID, 0), ID));
        assertTrue(ObjectKeys.isContentOf(ObjectKeys.content(ID, 9999), ID));
        assertFalse(ObjectKeys.isContentOf(ObjectKeys.content(OTHER, 0), ID));
        assertEquals(Optional.of(ID), ObjectKeys.owner(ObjectKeys.pieceHashes(ID)));
        assertEquals(Optional.of(ID), ObjectKeys.owner(ObjectKeys.torrent(ID)));
    }

    @Test
    void path_traversal_and_lookalikes_belong_to_nobody() {
        for (String key : new String[] {"content/" + ID + "/../x", "content/" + ID + "/0/../../piece-hashes/" + OTHER,
                "content/" + ID + "/", "content/" + ID + "/01", "content/" + ID + "/0x", "content/" + ID.toString().toUpperCase() + "/0",
                "content/" + ID + "/0 ", "/content/" + ID + "/0", "torrents/" + ID + ".torrent.bak", "piece-hashes/" + ID + "/x",
                "other/" + ID, "content/" + ID + "/-1"}) {
            assertEquals(Optional.empty(), ObjectKeys.owner(key), key);
            assertFalse(ObjectKeys.isContentOf(key, ID), key);
            assertFalse(ObjectKeys.isContent(key), key);
        }
    }
}
