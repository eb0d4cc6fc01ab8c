package io.shoal.tracker.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.shoal.bittorrent.bencode.BDict;
import io.shoal.bittorrent.bencode.BList;
import io.shoal.bittorrent.bencode.BString;
import io.shoal.bittorrent.bencode.BencodeDecoder;
import io.shoal.bittorrent.bencode.BencodeLimits;
import io.shoal.bittorrent.metainfo.InfoHash;
import io.shoal.bittorrent.metainfo.PeerId;
import io.shoal.bittorrent.tracker.AnnounceResponse;
import io.shoal.bittorrent.tracker.HttpTrackerResponses;
import io.shoal.bittorrent.tracker.PeerAddress;
import io.shoal.bittorrent.tracker.ScrapeStats;
import io.shoal.bittorrent.tracker.TrackerRequestException;
import io.shoal.infra.BackingServicesTestResource;
import io.shoal.tracker.TrackerTestSupport;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * BEP 3, 7, 23 and 48 over HTTP against the running tracker, with torrents published on a real Kafka.
 * Every refusal must be HTTP 200 with a bencoded failure reason, and the tracker must go on serving.
 */
@QuarkusTest
@WithTestResource(BackingServicesTestResource.class)
class Bep3HttpTrackerTest {

    @TestHTTPResource("/")
    URI base;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String kafka;

    private InfoHash published() {
        InfoHash hash = TrackerTestSupport.randomHash();
        TrackerTestSupport.publish(kafka, hash.hex(), TrackerTestSupport.torrent(hash, null));
        awaitTracked(hash);
        return hash;
    }

    private void awaitTracked(InfoHash hash) {
        long deadline = System.currentTimeMillis() + 15_000;
        while (true) {
            byte[] body = TrackerTestSupport.get(base, "scrape?info_hash=" + io.shoal.bittorrent.PercentEncoding.encode(hash.bytes()));
            if (!new String(body, StandardCharsets.ISO_8859_1).contains("failure reason")) {
                return;
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("torrent " + hash.hex() + " was not tracked within 15 s");
            }
            sleep(100);
        }
    }

    private AnnounceResponse announce(InfoHash hash, PeerId peer, int port, long left, String extra) throws TrackerRequestException {
        return HttpTrackerResponses.parseAnnounce(TrackerTestSupport.get(base, "announce?" + TrackerTestSupport.query(hash, peer, port, left, extra)));
    }

    private String failure(String query) {
        return failureOf(TrackerTestSupport.get(base, query));
    }

    private static String failureOf(byte[] body) {
        BDict dict;
        try {
            dict = BencodeDecoder.decodeDict(body, BencodeLimits.DEFAULT);
        } catch (io.shoal.bittorrent.bencode.BencodeException e) {
            throw new AssertionError("not bencode: " + new String(body, StandardCharsets.ISO_8859_1), e);
        }
        return ((BString) dict.get("failure reason").orElseThrow(() -> new AssertionError("no failure reason in " + new String(body)))).utf8();
    }

    @Test
    void peersFindEachOtherAndCountsFollowEvents() throws Exception {
        InfoHash hash = published();
        PeerId seeder = PeerId.random("-SH0100-");
        PeerId leecher = PeerId.random("-LT2080-");
        AnnounceResponse first = announce(hash, seeder, 7001, 0, "&event=started&compact=1");
        assertTrue(first.peers().isEmpty());
        assertEquals(1, first.complete());
        assertEquals(300, first.interval());
        assertEquals(30, first.minInterval());

        AnnounceResponse second = announce(hash, leecher, 7002, 1000, "&event=started");
        assertEquals(List.of(7001), second.peers().stream().map(PeerAddress::port).toList());
        assertEquals("127.0.0.1", second.peers().getFirst().address().getHostAddress());
        assertEquals(1, second.complete());
        assertEquals(1, second.incomplete());

        AnnounceResponse done = announce(hash, leecher, 7002, 0, "&event=completed");
        assertEquals(2, done.complete());
        assertEquals(0, done.incomplete());
        assertEquals(1, done.downloaded());
        assertEquals(List.of(7001), done.peers().stream().map(p -> p.port()).toList(),
                "no leechers left: a seeder is handed the other seeder (a magnet client announces left=0)");

        Map<InfoHash, ScrapeStats> scrape = HttpTrackerResponses.parseScrape(TrackerTestSupport.get(base,
                "scrape?info_hash=" + io.shoal.bittorrent.PercentEncoding.encode(hash.bytes())));
        assertEquals(new ScrapeStats(2, 1, 0), scrape.get(hash));

        AnnounceResponse stopped = announce(hash, seeder, 7001, 0, "&event=stopped");
        assertEquals(1, stopped.complete());
        assertTrue(stopped.peers().isEmpty());
    }

    @Test
    void dictionaryPeersCarryPeerIdsUnlessNoPeerId() throws Exception {
        InfoHash hash = published();
        PeerId seeder = PeerId.random("-SH0100-");
        announce(hash, seeder, 7101, 0, "");
        byte[] body = TrackerTestSupport.get(base, "announce?" + TrackerTestSupport.query(hash, PeerId.random("-AR1360-"), 7102, 5, "&compact=0"));
        BDict peer = (BDict) ((BList) BencodeDecoder.decodeDict(body, BencodeLimits.DEFAULT).get("peers").orElseThrow()).values().getFirst();
        assertEquals("127.0.0.1", ((BString) peer.get("ip").orElseThrow()).utf8());
        assertEquals(TrackerTestSupport.hex(seeder.bytes()), TrackerTestSupport.hex(((BString) peer.get("peer id").orElseThrow()).bytes()));
        byte[] noId = TrackerTestSupport.get(base, "announce?" + TrackerTestSupport.query(hash, PeerId.random("-AR1360-"), 7103, 5, "&compact=0&no_peer_id=1"));
        BDict bare = (BDict) ((BList) BencodeDecoder.decodeDict(noId, BencodeLimits.DEFAULT).get("peers").orElseThrow()).values().getFirst();
        assertTrue(bare.get("peer id").isEmpty());
    }

    @Test
    void ipv6PeersComeInPeers6AndTheIpParameterIsHonouredFromATrustedAddress() throws Exception {
        InfoHash hash = published();
        announce(hash, PeerId.random("-SH0100-"), 7201, 0, "&ip=fd00%3A%3A7");
        announce(hash, PeerId.random("-SH0100-"), 7202, 0, "&ip=10.9.8.7");
        AnnounceResponse response = announce(hash, PeerId.random("-LT2080-"), 7203, 5, "");
        assertEquals(2, response.peers().size());
        assertTrue(response.peers().stream().anyMatch(p -> p.ipv6() && p.address().getHostAddress().equals("fd00:0:0:0:0:0:0:7")));
        assertTrue(response.peers().stream().anyMatch(p -> !p.ipv6() && p.address().getHostAddress().equals("10.9.8.7")));
        assertTrue(failure("announce?" + TrackerTestSupport.query(hash, PeerId.random("-X-"), 1, 5, "&ip=tracker.example.com")).startsWith("invalid ip"));
        assertTrue(failure("announce?" + TrackerTestSupport.query(hash, PeerId.random("-X-"), 1, 5, "&ip=224.0.0.1")).startsWith("invalid ip"));
    }

    @Test
    void numwantIsHonouredAndCapped() throws Exception {
        InfoHash hash = published();
        for (int i = 0; i < 260; i++) {
            announce(hash, PeerId.random("-SH0100-"), 10_000 + i, 0, "&numwant=0");
        }
        assertEquals(50, announce(hash, PeerId.random("-LT-"), 9001, 5, "").peers().size(), "default 50");
        assertEquals(7, announce(hash, PeerId.random("-LT-"), 9002, 5, "&numwant=7").peers().size());
        assertEquals(200, announce(hash, PeerId.random("-LT-"), 9003, 5, "&numwant=999999999999").peers().size(), "capped at 200");
    }

    private AnnounceResponse announceFrom(String source, InfoHash hash, PeerId peer, int port, String extra) throws Exception {
        return HttpTrackerResponses.parseAnnounce(TrackerTestSupport.rawGet(base, "announce?"
                + TrackerTestSupport.query(hash, peer, port, 5, extra), java.net.InetAddress.getByName(source)));
    }

    @Test
    void aHostClaimingAnotherAddressWithIpIsHandedOutAtItsOwn() throws Exception {
        InfoHash hash = published();
        announceFrom("127.0.0.2", hash, PeerId.random("-XX0001-"), 7301, "&ip=10.1.1.1");
        AnnounceResponse other = announce(hash, PeerId.random("-LT-"), 7302, 5, "");
        assertEquals(List.of("127.0.0.2"), other.peers().stream().map(p -> p.address().getHostAddress()).toList(),
                "127.0.0.2 is not trusted: seeders and clients must not be sent to 10.1.1.1 on its word");
    }

    @Test
    void oneAddressAnnouncingMorePeersThanItsQuotaIsRefusedAndOthersGoOn() throws Exception {
        InfoHash hash = published();
        InfoHash another = published();
        for (int i = 0; i < 64; i++) {
            AnnounceResponse accepted = announceFrom("127.0.0.3", i % 2 == 0 ? hash : another, PeerId.random("-XX0001-"), 20_000 + i, "");
            assertTrue(accepted.interval() > 0);
        }
        TrackerRequestException refused = assertThrows(TrackerRequestException.class,
                () -> announceFrom("127.0.0.3", hash, PeerId.random("-XX0001-"), 21_000, ""));
        assertTrue(refused.getMessage().contains("as many peers on this tracker as one address may"), refused.getMessage());
        AnnounceResponse honest = announceFrom("127.0.0.4", hash, PeerId.random("-LT-"), 7400, "&numwant=200");
        assertEquals(32, honest.peers().size(), "another host joins and sees the 32 peers 127.0.0.3 has in this swarm");
    }

    @Test
    void unknownAndRetiredTorrentsGetAFailureReason() throws Exception {
        InfoHash unknown = TrackerTestSupport.randomHash();
        assertTrue(failure("announce?" + TrackerTestSupport.query(unknown, PeerId.random("-X-"), 1, 0, "")).startsWith("unknown info_hash"));
        assertTrue(failure("scrape?info_hash=" + io.shoal.bittorrent.PercentEncoding.encode(unknown.bytes())).startsWith("unknown info_hash"));

        InfoHash hash = published();
        announce(hash, PeerId.random("-SH0100-"), 7401, 0, "");
        TrackerTestSupport.publish(kafka, hash.hex(), null);
        long deadline = System.currentTimeMillis() + 15_000;
        while (true) {
            byte[] body = TrackerTestSupport.get(base, "announce?" + TrackerTestSupport.query(hash, PeerId.random("-X-"), 2, 0, ""));
            if (new String(body, StandardCharsets.ISO_8859_1).contains("unknown info_hash")) {
                break;
            }
            assertTrue(System.currentTimeMillis() < deadline, "the tombstone did not drop the swarm within 15 s");
            sleep(100);
        }
    }

    @Test
    void aHybridTorrentIsTrackedUnderBothHashes() throws Exception {
        InfoHash v1 = TrackerTestSupport.randomHash();
        String v2 = TrackerTestSupport.hex(TrackerTestSupport.randomHash().bytes()) + "000000000000000000000000";
        TrackerTestSupport.publish(kafka, v1.hex(), TrackerTestSupport.torrent(v1, v2));
        awaitTracked(v1);
        InfoHash truncated = InfoHash.fromHex(v2).truncated();
        assertEquals(1, announce(truncated, PeerId.random("-LT2080-"), 7501, 0, "").complete());
        assertEquals(1, announce(v1, PeerId.random("-LT2080-"), 7502, 0, "").complete(), "separate swarms");
        Map<InfoHash, ScrapeStats> both = HttpTrackerResponses.parseScrape(TrackerTestSupport.get(base, "scrape?info_hash="
                + io.shoal.bittorrent.PercentEncoding.encode(v1.bytes()) + "&info_hash=" + io.shoal.bittorrent.PercentEncoding.encode(truncated.bytes())));
        assertEquals(2, both.size(), "BEP 48: several info_hash in one scrape");
    }

    @Test
    void badRequestsGetAFailureReasonAndTheTrackerGoesOn() throws Exception {
        InfoHash hash = published();
        PeerId peer = PeerId.random("-SH0100-");
        String ih = "info_hash=" + io.shoal.bittorrent.PercentEncoding.encode(hash.bytes());
        String pid = "&peer_id=" + io.shoal.bittorrent.PercentEncoding.encode(peer.bytes());
        Map<String, String> cases = new java.util.LinkedHashMap<>();
        cases.put("announce", "missing query");
        cases.put("announce?peer_id=x&port=1", "missing info_hash");
        cases.put("announce?info_hash=abc" + pid + "&port=1", "invalid info_hash of 3 bytes");
        cases.put("announce?" + ih + "&port=1", "missing peer_id");
        cases.put("announce?" + ih + "&peer_id=short&port=1", "invalid peer_id of 5 bytes");
        cases.put("announce?" + ih + pid, "missing port");
        cases.put("announce?" + ih + pid + "&port=abc", "invalid port");
        cases.put("announce?" + ih + pid + "&port=0", "invalid port 0");
        cases.put("announce?" + ih + pid + "&port=70000", "invalid port 70000");
        cases.put("announce?" + ih + pid + "&port=1&left=-1", "invalid left -1");
        cases.put("announce?" + ih + pid + "&port=1&uploaded=-5", "invalid uploaded -5");
        cases.put("announce?" + ih + pid + "&port=1&downloaded=99999999999999999999", "invalid downloaded");
        cases.put("announce?" + ih + pid + "&port=1&numwant=-1", "invalid numwant -1");
        cases.put("announce?" + ih + pid + "&port=1&event=exploded", "unknown event");
        cases.put("announce?" + ih + pid + "&port=1&key=%zz", "malformed percent-encoding");
        cases.put("announce?" + ih + "&" + ih + pid + "&port=1", "more than one info_hash");
        cases.put("announce?" + ih + pid + "&port=1&pad=" + "a".repeat(9000), "query of");
        cases.put("scrape", "missing query");
        cases.put("scrape?info_hash=abc", "invalid info_hash of 3 bytes");
        for (var c : cases.entrySet()) {
            String reason = failureOf(TrackerTestSupport.rawGet(base, c.getKey()));
            assertTrue(reason.startsWith(c.getValue()), c.getKey().substring(0, Math.min(60, c.getKey().length())) + " -> " + reason);
        }
        assertFalse(announce(hash, peer, 7601, 0, "").complete() == 0, "still serving");
        String metrics = new String(TrackerTestSupport.get(base, "q/metrics"), StandardCharsets.UTF_8);
        assertTrue(metrics.contains("shoal_tracker_failures_total{kind=\"bad_request\",protocol=\"http\"}"), "failures are counted");
        assertTrue(metrics.contains("shoal_tracker_announces_total{protocol=\"http\"}"));
        assertTrue(metrics.contains("shoal_tracker_peers "));
        assertTrue(metrics.contains("shoal_tracker_swarms "));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
