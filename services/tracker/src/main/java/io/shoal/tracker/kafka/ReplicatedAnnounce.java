package io.shoal.tracker.kafka;

import io.shoal.bittorrent.metainfo.InfoHash;
import io.shoal.bittorrent.metainfo.PeerId;
import io.shoal.bittorrent.tracker.AnnounceEvent;
import io.shoal.bittorrent.tracker.TrackerRequestException;
import io.shoal.tracker.swarm.PeerUpdate;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * One announce as it travels between replicas on shoal.tracker.announces: key the info-hash in hex,
 * value {@code <version=1:u8><replica:16><event:u8><left:u64><peer_id:20><endpoint_length:u8><endpoint>
 * <key_length:u8><key>}; the record's timestamp is when the announce was received. Binary, because every
 * announce makes one.
 */
public record ReplicatedAnnounce(UUID replica, InfoHash infoHash, PeerUpdate update) {

    static final int VERSION = 1;

    public byte[] encodeValue() {
        byte[] key = update.key().getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(1 + 16 + 1 + 8 + 20 + 1 + update.endpoint().length + 1 + key.length);
        out.put((byte) VERSION).putLong(replica.getMostSignificantBits()).putLong(replica.getLeastSignificantBits());
        out.put((byte) update.event().udpCode()).putLong(update.left()).put(update.peerId().bytes());
        out.put((byte) update.endpoint().length).put(update.endpoint());
        out.put((byte) key.length).put(key);
        return out.array();
    }

    /** Reads a record another replica (or a stranger) wrote; anything malformed is refused, not guessed. */
    public static ReplicatedAnnounce decode(String key, byte[] value, long timestampMillis) {
        if (key == null || key.length() != 40 || value == null) {
            throw new IllegalArgumentException("record without a 40-character info-hash key or a value");
        }
        try {
            InfoHash infoHash = InfoHash.fromHex(key);
            ByteBuffer in = ByteBuffer.wrap(value);
            int version = in.get();
            if (version != VERSION) {
                throw new IllegalArgumentException("version " + version + " (expected: " + VERSION + ")");
            }
            UUID replica = new UUID(in.getLong(), in.getLong());
            AnnounceEvent event = AnnounceEvent.fromUdp(in.get());
            long left = in.getLong();
            byte[] peerId = new byte[20];
            in.get(peerId);
            byte[] endpoint = new byte[in.get() & 0xff];
            in.get(endpoint);
            byte[] peerKey = new byte[in.get() & 0xff];
            in.get(peerKey);
            if (in.hasRemaining()) {
                throw new IllegalArgumentException(in.remaining() + " bytes after the key");
            }
            return new ReplicatedAnnounce(replica, infoHash, new PeerUpdate(PeerId.of(peerId), endpoint,
                    new String(peerKey, StandardCharsets.UTF_8), left, event, timestampMillis));
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("value of " + value.length + " bytes is truncated");
        } catch (TrackerRequestException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }
}
