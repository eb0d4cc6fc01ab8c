package io.shoal.bittorrent.tracker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.shoal.bittorrent.bencode.BDict;
import io.shoal.bittorrent.bencode.BString;
import io.shoal.bittorrent.bencode.BencodeDecoder;
import io.shoal.bittorrent.bencode.BencodeLimits;
import io.shoal.bittorrent.metainfo.InfoHash;
import io.shoal.bittorrent.metainfo.PeerId;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** BEP 3 announce queries, BEP 23 compact and BEP 7 IPv6 peers, BEP 48 scrape, and hostile queries. */
class Bep3HttpAnnounceTest {

    /** An info-hash with bytes that break naive decoding: '%', '+', '&', 0x00 and 0xff. */
    static final byte[] HASH = HexFormat.of().parseHex("252b26003d00ff80c3a92f3f0102030405060708");
    static final byte[] PEER = "-LT2080-abcdef%+&=12".getBytes(StandardCharsets.ISO_8859_1);

    static String pct(byte[] bytes) {
        StringBuilder out = new StringBuilder();
        for (byte b : bytes) {
            out.append('%').append(HexFormat.of().toHexDigits(b));
        }
        return out.toString();
    }

    static String query(String rest) {
        return "info_hash=" + pct(HASH) + "&peer_id=" + pct(PEER) + "&port=6881" + rest;
    }

    static String rejected(String q) {
        return assertThrows(TrackerRequestException.class, () -> HttpAnnounceParser.parseAnnounce(q)).getMessage();
    }

    @Test
    void everyParameterIsRead() throws Exception {
        AnnounceRequest r = HttpAnnounceParser.parseAnnounce(query(
                "&uploaded=10&downloaded=20&left=30&event=started&numwant=80&compact=1&no_peer_id=1&ip=10.1.2.3&key=a1b2c3"));
        assertArrayEquals(HASH, r.infoHash().bytes());
        assertArrayEquals(PEER, r.peerId().bytes());
        assertEquals(6881, r.port());
        assertEquals(10, r.uploaded());
        assertEquals(20, r.downloaded());
        assertEquals(30, r.left());
        assertEquals(AnnounceEvent.STARTED, r.event());
        assertEquals(OptionalInt.of(80), r.numWant());
        assertTrue(r.compact());
        assertTrue(r.noPeerId());
        assertEquals(Optional.of("10.1.2.3"), r.ip());
        assertEquals(Optional.of("a1b2c3"), r.key());
    }

    @Test
    void defaultsAreCompactAndNoNumwant() throws Exception {
        AnnounceRequest r = HttpAnnounceParser.parseAnnounce(query("&left=0"));
        assertTrue(r.compact());
        assertTrue(r.seeder());
        assertEquals(OptionalInt.empty(), r.numWant());
        assertEquals(AnnounceEvent.NONE, r.event());
    }

    @Test
    void unencodedSafeBytesInTheHashAreTakenAsThemselves() throws Exception {
        // Clients leave unreserved bytes unescaped: "ABCDEFGHIJKLMNOPQRST" is 20 bytes as it stands.
        AnnounceRequest r = HttpAnnounceParser.parseAnnounce("info_hash=ABCDEFGHIJKLMNOPQRST&peer_id=" + pct(PEER) + "&port=1");
        assertEquals("ABCDEFGHIJKLMNOPQRST", new String(r.infoHash().bytes(), StandardCharsets.US_ASCII));
    }

    @Test
    void missing_or_wrong_length_info_hash_and_peer_id() {
        assertEquals("missing info_hash", rejected("peer_id=" + pct(PEER) + "&port=1"));
        assertTrue(rejected("info_hash=%00&peer_id=" + pct(PEER) + "&port=1").contains("1 bytes (expected: 20)"));
        assertTrue(rejected("info_hash=" + pct(HASH) + "&peer_id=short&port=1").contains("peer_id of 5 bytes"));
        assertTrue(rejected(query("&info_hash=" + pct(HASH))).contains("more than one info_hash"));
    }

    @Test
    void port_out_of_range_or_not_a_number() {
        assertTrue(rejected("info_hash=" + pct(HASH) + "&peer_id=" + pct(PEER) + "&port=0").contains("invalid port"));
        assertTrue(rejected("info_hash=" + pct(HASH) + "&peer_id=" + pct(PEER) + "&port=65536").contains("invalid port"));
        assertTrue(rejected("info_hash=" + pct(HASH) + "&peer_id=" + pct(PEER) + "&port=http").contains("expected: a number"));
        assertEquals("missing port", rejected("info_hash=" + pct(HASH) + "&peer_id=" + pct(PEER)));
    }

    @Test
    void negative_counters_and_numwant() {
        assertTrue(rejected(query("&uploaded=-1")).contains("invalid uploaded"));
        assertTrue(rejected(query("&left=-5")).contains("invalid left"));
        assertTrue(rejected(query("&numwant=-1")).contains("invalid numwant"));
        assertTrue(rejected(query("&downloaded=99999999999999999999")).contains("expected: a"));
    }

    @Test
    void huge_numwant_is_accepted_for_the_tracker_to_cap() throws Exception {
        assertEquals(OptionalInt.of(Integer.MAX_VALUE), HttpAnnounceParser.parseAnnounce(query("&numwant=9999999999")).numWant());
    }

    @Test
    void unknown_event() {
        assertTrue(rejected(query("&event=exploded")).contains("unknown event"));
    }

    @Test
    void malformed_percent_encoding() {
        assertEquals("malformed percent-encoding", rejected(query("&key=%g1")));
        assertEquals("malformed percent-encoding", rejected(query("&key=%4")));
    }

    @Test
    void oversized_query_string() {
        assertTrue(rejected(query("&key=" + "a".repeat(9000))).contains("expected: <= 8192"));
        assertTrue(rejected("").contains("missing query"));
    }

    @Test
    void bep23CompactAndBep7Peers6() throws Exception {
        var v4 = PeerAddress.of(InetAddress.getByName("10.0.0.7"), 6881);
        var v6 = PeerAddress.of(InetAddress.getByName("fd00::1"), 51413);
        var response = new AnnounceResponse(60, 30, 3, 4, 9, List.of(v4, v6), Optional.empty());
        byte[] body = HttpTrackerResponses.announce(response, true, false);
        BDict dict = BencodeDecoder.decodeDict(body, BencodeLimits.DEFAULT);
        assertArrayEquals(new byte[] {10, 0, 0, 7, 0x1a, (byte) 0xe1}, ((BString) dict.get("peers").orElseThrow()).bytes());
        assertEquals(18, ((BString) dict.get("peers6").orElseThrow()).length());
        AnnounceResponse parsed = HttpTrackerResponses.parseAnnounce(body);
        assertEquals(List.of(v4, v6), parsed.peers());
        assertEquals(60, parsed.interval());
        assertEquals(30, parsed.minInterval());
        assertEquals(3, parsed.complete());
        assertEquals(4, parsed.incomplete());
        assertEquals(9, parsed.downloaded());
    }

    @Test
    void theCompactAnswerWrittenDirectlyIsCanonicalBencode() throws Exception {
        byte[] v4 = {10, 0, 0, 1, 0x1a, (byte) 0xe1};
        byte[] v6 = new byte[18];
        v6[0] = (byte) 0xfd;
        v6[17] = 7;
        byte[] direct = HttpTrackerResponses.announceCompact(300, 30, 2, 5, 9, v4, v6, Optional.of("über"));
        BDict expected = BDict.builder().put("interval", 300).put("min interval", 30).put("complete", 2)
                .put("incomplete", 5).put("downloaded", 9).put("peers", v4).put("peers6", v6)
                .put("warning message", "über").build();
        assertArrayEquals(io.shoal.bittorrent.bencode.BencodeEncoder.encode(expected), direct);
        byte[] noSix = HttpTrackerResponses.announceCompact(1, 1, 0, 0, 0, new byte[0], new byte[0], Optional.empty());
        assertEquals("d8:completei0e10:downloadedi0e10:incompletei0e8:intervali1e12:min intervali1e5:peers0:e",
                new String(noSix, StandardCharsets.US_ASCII));
        assertThrows(IllegalArgumentException.class, () -> HttpTrackerResponses.announceCompact(1, 1, 0, 0, 0, new byte[5], new byte[0], Optional.empty()));
    }

    @Test
    void dictionaryPeersWithAndWithoutPeerId() throws Exception {
        PeerId id = PeerId.of(PEER);
        var peer = new PeerAddress(InetAddress.getByName("10.0.0.8"), 7000, Optional.of(id));
        var response = new AnnounceResponse(60, 30, 1, 0, 0, List.of(peer), Optional.of("slow down"));
        assertEquals(List.of(peer), HttpTrackerResponses.parseAnnounce(HttpTrackerResponses.announce(response, false, false)).peers());
        AnnounceResponse anonymous = HttpTrackerResponses.parseAnnounce(HttpTrackerResponses.announce(response, false, true));
        assertFalse(anonymous.peers().getFirst().peerId().isPresent());
        assertEquals(Optional.of("slow down"), anonymous.warning());
    }

    @Test
    void failureReasonReachesTheClient() {
        byte[] body = HttpTrackerResponses.failure("unregistered torrent");
        assertEquals("d14:failure reason20:unregistered torrente", new String(body, StandardCharsets.US_ASCII));
        assertEquals("unregistered torrent", assertThrows(TrackerRequestException.class,
                () -> HttpTrackerResponses.parseAnnounce(body)).getMessage());
    }

    @Test
    void bep48ScrapeOfSeveralHashes() throws Exception {
        byte[] other = new byte[20];
        List<InfoHash> hashes = HttpAnnounceParser.parseScrape("info_hash=" + pct(HASH) + "&info_hash=" + pct(other));
        assertEquals(List.of(InfoHash.of(HASH), InfoHash.of(other)), hashes);
        var stats = Map.of(InfoHash.of(HASH), new ScrapeStats(2, 5, 1));
        assertEquals(stats, HttpTrackerResponses.parseScrape(HttpTrackerResponses.scrape(stats)));
        assertThrows(TrackerRequestException.class, () -> HttpAnnounceParser.parseScrape("info_hash=%01"));
        assertThrows(TrackerRequestException.class, () -> HttpAnnounceParser.parseScrape("x=1"));
    }

    @Test
    void compact_peer_with_port_zero_from_a_tracker() {
        byte[] body = "d8:intervali60e5:peers6:\u0001\u0002\u0003\u0004\u0000\u0000e".getBytes(StandardCharsets.ISO_8859_1);
        assertTrue(assertThrows(TrackerRequestException.class, () -> HttpTrackerResponses.parseAnnounce(body))
                .getMessage().contains("port"));
    }

    @Test
    void scrape_with_too_many_hashes() throws Exception {
        // Unreserved bytes travel unescaped, so 257 hashes still fit the 8 KiB query limit.
        String one = "info_hash=ABCDEFGHIJKLMNOPQRST";
        assertEquals(256, HttpAnnounceParser.parseScrape(String.join("&", java.util.Collections.nCopies(256, one))).size());
        assertTrue(assertThrows(TrackerRequestException.class, () -> HttpAnnounceParser.parseScrape(
                String.join("&", java.util.Collections.nCopies(257, one)))).getMessage().contains("expected: <= 256"));
    }

    @Test
    void truncated_compact_peers_from_a_tracker() {
        byte[] body = "d8:intervali60e5:peers5:abcdee".getBytes(StandardCharsets.US_ASCII);
        assertTrue(assertThrows(TrackerRequestException.class, () -> HttpTrackerResponses.parseAnnounce(body))
                .getMessage().contains("multiple of 6"));
    }
}
