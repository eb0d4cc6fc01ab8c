package io.shoal.tracker.udp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class ConnectionIdsTest {

    private static final byte[] CLIENT = {127, 0, 0, 1};

    @Test
    void sipHashMatchesThePapersTestVector() {
        byte[] key = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f");
        byte[] message = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e");
        assertEquals(0xa129ca6149be45e5L, new SipHash(key).hash(message));
    }

    @Test
    void anIdIsValidForAtLeastTwoMinutesAndExpiresSoonAfter() {
        ConnectionIds ids = new ConnectionIds(new byte[16]);
        long periodStart = 1_699_999_995_000L; // a multiple of 15 s
        long issuedAt = periodStart + 14_999; // the end of a period: the shortest life
        long id = ids.issue(CLIENT, issuedAt);
        assertTrue(ids.valid(id, CLIENT, issuedAt));
        assertTrue(ids.valid(id, CLIENT, issuedAt + 120_000));
        assertFalse(ids.valid(id, CLIENT, issuedAt + 135_001));
        long early = ids.issue(CLIENT, periodStart); // the start of a period: the longest life
        assertTrue(ids.valid(early, CLIENT, periodStart + 134_999));
        assertFalse(ids.valid(early, CLIENT, periodStart + 135_000));
    }

    @Test
    void anIdBelongsToItsClientAndSecret() {
        long now = 1_700_000_000_000L;
        long id = new ConnectionIds(new byte[16]).issue(CLIENT, now);
        assertFalse(new ConnectionIds(new byte[16]).valid(id, new byte[] {127, 0, 0, 2}, now));
        byte[] otherSecret = new byte[16];
        otherSecret[0] = 1;
        assertFalse(new ConnectionIds(otherSecret).valid(id, CLIENT, now));
        assertFalse(new ConnectionIds(new byte[16]).valid(id ^ 1, CLIENT, now), "a flipped bit");
        assertFalse(new ConnectionIds(new byte[16]).valid(0x41727101980L, CLIENT, now), "the connect magic");
        assertNotEquals(id, new ConnectionIds(new byte[16]).issue(CLIENT, now + 15_000));
    }
}
