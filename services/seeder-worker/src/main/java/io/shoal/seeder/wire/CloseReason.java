package io.shoal.seeder.wire;

import java.util.Locale;

/** Why the seeder closed a peer connection: the {@code reason} tag of {@code shoal.seeder.connections.closed}. */
public enum CloseReason {
    /** The handshake was wrong: our own peer id, or an info-hash other than the one the encrypted handshake named. */
    BAD_HANDSHAKE,
    /** The peer asked for a torrent this worker does not seed. */
    UNKNOWN_TORRENT,
    /** The worker or the torrent has as many connections as it takes. */
    FULL,
    /** The peer's address has as many connections as one address may have (per torrent or in total). */
    ADDRESS_FULL,
    /** The peer is a seed too: nothing to trade. */
    SEED,
    /** The peer broke the peer wire protocol. */
    PROTOCOL,
    /** The encrypted handshake failed, or the peer spoke plaintext where encryption is required. */
    ENCRYPTION,
    /** A request, have or piece index outside the torrent. */
    OUT_OF_RANGE,
    /** More requests queued, or metadata and hashes asked for, than a peer may. */
    FLOOD,
    /** The peer stopped reading: its unsent bytes passed the bound. */
    SLOW_READER,
    /** No handshake in time. */
    TIMEOUT,
    /** Nothing received for the idle timeout. */
    IDLE,
    /** The torrent stopped being seeded here, or the worker is stopping. */
    RETIRED,
    /** The peer closed the connection, or the network did. */
    CLOSED;

    public String tag() {
        return name().toLowerCase(Locale.ROOT);
    }
}
