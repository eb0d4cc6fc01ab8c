package io.shoal.bittorrent.tracker;

/** BEP 3 announce events, with their BEP 15 numbers. */
public enum AnnounceEvent {
    NONE(0), COMPLETED(1), STARTED(2), STOPPED(3);

    private final int udpCode;

    AnnounceEvent(int udpCode) {
        this.udpCode = udpCode;
    }

    public int udpCode() {
        return udpCode;
    }

    public static AnnounceEvent fromUdp(int code) throws TrackerRequestException {
        for (AnnounceEvent event : values()) {
            if (event.udpCode == code) {
                return event;
            }
        }
        throw new TrackerRequestException("unknown event " + code + " (expected: 0-3)");
    }
}
