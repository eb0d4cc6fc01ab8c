package io.shoal.bittorrent.peerwire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shoal.bittorrent.tracker.PeerAddress;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class Bep9Bep10Bep11ExtensionTest {

    @Test
    void extensionHandshakeRoundTrips() {
        var handshake = new ExtensionHandshake(Map.of("ut_metadata", 2, "ut_pex", 1), OptionalLong.of(31_337),
                Optional.of("Shoal 0.1.0"), OptionalInt.of(6881), OptionalInt.of(250));
        assertEquals(handshake, ExtensionHandshake.decode(handshake.encode()));
    }

    @Test
    void libtorrentStyleHandshakeWithUnknownKeysAndDisabledExtensions() {
        byte[] payload = "d1:md11:lt_donthavei7e10:share_modei8e11:ut_metadatai0e6:ut_pexi1ee13:metadata_sizei5000e4:reqqi500e1:v16:libtorrent 2.0.8e"
                .getBytes(StandardCharsets.US_ASCII);
        ExtensionHandshake h = ExtensionHandshake.decode(payload);
        assertEquals(Map.of("lt_donthave", 7, "share_mode", 8, "ut_pex", 1), h.extensions(), "ut_metadata 0 means disabled");
        assertEquals(OptionalLong.of(5000), h.metadataSize());
        assertEquals(OptionalInt.of(500), h.requestQueue());
    }

    @Test
    void absurd_metadata_size() {
        byte[] payload = "d1:mde13:metadata_sizei99999999999ee".getBytes(StandardCharsets.US_ASCII);
        assertTrue(assertThrows(PeerWireException.class, () -> ExtensionHandshake.decode(payload)).getMessage().contains("metadata_size"));
    }

    @Test
    void utMetadataPiecesCoverTheInfoDictionary() {
        byte[] metadata = new byte[40_000];
        for (int i = 0; i < metadata.length; i++) {
            metadata[i] = (byte) i;
        }
        UtMetadataMessage last = UtMetadataMessage.data(2, metadata);
        assertEquals(40_000 - 2 * 16_384, last.data().length);
        UtMetadataMessage decoded = UtMetadataMessage.decode(last.encode());
        assertEquals(last, decoded);
        assertEquals(40_000, decoded.totalSize());
        assertEquals(UtMetadataMessage.request(1), UtMetadataMessage.decode(UtMetadataMessage.request(1).encode()));
        assertEquals(UtMetadataMessage.reject(1), UtMetadataMessage.decode(UtMetadataMessage.reject(1).encode()));
    }

    @Test
    void ut_metadata_data_without_total_size_or_oversized() {
        assertThrows(PeerWireException.class, () -> UtMetadataMessage.decode("d8:msg_typei1e5:piecei0eeXYZ".getBytes(StandardCharsets.US_ASCII)));
        byte[] header = "d8:msg_typei1e5:piecei0e10:total_sizei99999ee".getBytes(StandardCharsets.US_ASCII);
        byte[] big = new byte[header.length + 16_385];
        System.arraycopy(header, 0, big, 0, header.length);
        assertThrows(PeerWireException.class, () -> UtMetadataMessage.decode(big));
        assertThrows(PeerWireException.class, () -> UtMetadataMessage.decode("d8:msg_typei7e5:piecei0ee".getBytes(StandardCharsets.US_ASCII)));
        assertThrows(PeerWireException.class, () -> UtMetadataMessage.decode("d8:msg_typei0e5:piecei-1ee".getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void pexRoundTripsBothFamilies() throws Exception {
        var v4 = PeerAddress.of(InetAddress.getByName("10.0.0.5"), 6881);
        var v6 = PeerAddress.of(InetAddress.getByName("fd00::5"), 6882);
        var message = new PexMessage(List.of(v4, v6), List.of(v4));
        PexMessage decoded = PexMessage.decode(message.encode());
        assertEquals(List.of(v4, v6), decoded.added());
        assertEquals(List.of(v4), decoded.dropped());
    }

    @Test
    void pex_flood_and_ragged_peers() {
        byte[] flood = ("d5:added" + 51 * 6 + ":" + "A".repeat(51 * 6) + "e").getBytes(StandardCharsets.ISO_8859_1);
        assertThrows(PeerWireException.class, () -> PexMessage.decode(flood));
        assertThrows(PeerWireException.class, () -> PexMessage.decode("d5:added5:abcdee".getBytes(StandardCharsets.US_ASCII)));
        byte[] portZero = "d5:added6:\u0001\u0002\u0003\u0004\u0000\u0000e".getBytes(StandardCharsets.ISO_8859_1);
        assertThrows(PeerWireException.class, () -> PexMessage.decode(portZero));
        PexMessage empty = PexMessage.decode(new PexMessage(List.of(), List.of()).encode());
        assertEquals(List.of(), empty.added());
        assertEquals(List.of(), empty.dropped());
    }
}
