package io.shoal.bittorrent.magnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shoal.bittorrent.metainfo.InfoHash;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class MagnetUriTest {

    static final String V1 = "c12fe1c06bba254a9dc9f519b335aa7c1367a88a";
    static final String V2 = "d8dd32ac93357c368556af3ac1d95c9d76bd0dff6fa9833ecdac3d53134efabb";

    @Test
    void bep9HexLinkWithEveryField() throws Exception {
        MagnetUri m = MagnetUri.parse("magnet:?xt=urn:btih:" + V1.toUpperCase() + "&dn=ubuntu%2024.04.iso"
                + "&tr=http%3A%2F%2F127.0.0.1%3A6969%2Fannounce&tr=udp%3A%2F%2Ft%3A6969&ws=http%3A%2F%2Fgw%2Fws&xl=1234&x.pe=10.0.0.1%3A6881");
        assertEquals(V1, m.v1().orElseThrow().hex());
        assertEquals(Optional.of("ubuntu 24.04.iso"), m.displayName());
        assertEquals(List.of("http://127.0.0.1:6969/announce", "udp://t:6969"), m.trackers());
        assertEquals(List.of("http://gw/ws"), m.webSeeds());
        assertEquals(OptionalLong.of(1234), m.exactLength());
        assertEquals(List.of("10.0.0.1:6881"), m.peers());
        assertEquals(m, MagnetUri.parse(m.toUri()));
    }

    @Test
    void bep9Base32Link() throws Exception {
        // The same 20 bytes in RFC 4648 base32.
        MagnetUri m = MagnetUri.parse("magnet:?xt=urn:btih:YEX6DQDLXISUVHOJ6UM3GNNKPQJWPKEK");
        assertEquals(V1, m.v1().orElseThrow().hex());
    }

    @Test
    void bep52HybridLinkCarriesBothHashes() throws Exception {
        MagnetUri m = MagnetUri.parse("magnet:?xt=urn:btih:" + V1 + "&xt=urn:btmh:1220" + V2 + "&dn=x");
        assertEquals(V1, m.v1().orElseThrow().hex());
        assertEquals(V2, m.v2().orElseThrow().hex());
        assertTrue(m.toUri().contains("xt=urn:btmh:1220" + V2));
        MagnetUri v2Only = MagnetUri.parse("magnet:?xt=urn:btmh:1220" + V2);
        assertEquals(InfoHash.fromHex(V2).truncated(), v2Only.v2().orElseThrow().truncated());
    }

    @Test
    void plusIsASpaceAndUnicodeRoundTrips() throws Exception {
        assertEquals(Optional.of("a b"), MagnetUri.parse("magnet:?xt=urn:btih:" + V1 + "&dn=a+b").displayName());
        MagnetUri m = new MagnetUri(Optional.of(InfoHash.fromHex(V1)), Optional.empty(), Optional.of("été+1 &x=y"),
                List.of(), List.of(), OptionalLong.empty(), List.of());
        assertEquals(m, MagnetUri.parse(m.toUri()));
    }

    @Test
    void rejectsWhatIsNotASwarm() {
        assertThrows(MagnetException.class, () -> MagnetUri.parse("http://example/"));
        assertThrows(MagnetException.class, () -> MagnetUri.parse("magnet:?dn=nothing"));
        assertThrows(MagnetException.class, () -> MagnetUri.parse("magnet:?xt=urn:btih:1234"));
        assertThrows(MagnetException.class, () -> MagnetUri.parse("magnet:?xt=urn:btih:" + V1.replace('c', 'g')));
        assertThrows(MagnetException.class, () -> MagnetUri.parse("magnet:?xt=urn:btmh:1114" + V2));
        assertThrows(MagnetException.class, () -> MagnetUri.parse("magnet:?xt=urn:btih:" + V1 + "&xt=urn:btih:" + V1));
    }

    @Test
    void malformed_percent_encoding() {
        assertTrue(assertThrows(MagnetException.class, () -> MagnetUri.parse("magnet:?xt=urn:btih:" + V1 + "&dn=%zz"))
                .getMessage().contains("percent-encoding"));
        assertThrows(MagnetException.class, () -> MagnetUri.parse("magnet:?xt=urn:btih:" + V1 + "&dn=%4"));
    }

    @Test
    void oversized_link_and_parameter_flood() {
        assertThrows(MagnetException.class, () -> MagnetUri.parse("magnet:?xt=urn:btih:" + V1 + "&dn=" + "x".repeat(20_000)));
        assertThrows(MagnetException.class, () -> MagnetUri.parse("magnet:?xt=urn:btih:" + V1 + "&tr=a".repeat(300)));
        assertThrows(MagnetException.class, () -> MagnetUri.parse("magnet:?xt=urn:btih:" + V1 + "&xl=-5"));
    }
}
