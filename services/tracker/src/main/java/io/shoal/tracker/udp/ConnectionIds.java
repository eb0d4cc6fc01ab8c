package io.shoal.tracker.udp;

import java.nio.ByteBuffer;

/**
 * BEP 15 connection ids the tracker can check without remembering them: the top 16 bits are the
 * 15-second period the id was issued in, the other 48 a SipHash of the client's address and that period
 * under a secret. An id is accepted for eight periods after the one it was issued in, so for at least the
 * two minutes BEP 15 asks of a tracker and at most two minutes and fifteen seconds.
 */
final class ConnectionIds {

    static final long PERIOD_MILLIS = 15_000;
    static final int PERIODS_VALID = 8;

    private final SipHash mac;

    ConnectionIds(byte[] secret) {
        this.mac = new SipHash(secret);
    }

    long issue(byte[] clientAddress, long nowMillis) {
        return id(clientAddress, nowMillis / PERIOD_MILLIS);
    }

    boolean valid(long connectionId, byte[] clientAddress, long nowMillis) {
        long current = nowMillis / PERIOD_MILLIS;
        long age = (current - (connectionId >>> 48)) & 0xffff;
        return age <= PERIODS_VALID && id(clientAddress, current - age) == connectionId;
    }

    private long id(byte[] clientAddress, long period) {
        byte[] message = ByteBuffer.allocate(clientAddress.length + 8).put(clientAddress).putLong(period).array();
        return ((period & 0xffff) << 48) | (mac.hash(message) & 0xffff_ffff_ffffL);
    }
}
