package io.shoal.tracker.kafka;

import io.shoal.bittorrent.metainfo.InfoHash;
import io.shoal.bittorrent.metainfo.PeerId;
import io.shoal.bittorrent.tracker.AnnounceEvent;
import io.shoal.bittorrent.tracker.TrackerRequestException;
import io.shoal.tracker.swarm.PeerUpdate;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One announce as it travels between replicas on shoal.tracker.announces. A record carries a batch of
 * them (a record per announce would cost the broker more than the announce itself), keyed by the sending
 * replica's id so a replica skips its own without reading them: value {@code <version=2:u8><count:u16>}
 * then per announce {@code <info_hash:20><event:u8><left:u64><at_millis:u64><peer_id:20>
 * <endpoint_length:u8><endpoint><key_length:u8><key>}.
 */
public record ReplicatedAnnounce(InfoHash infoHash, PeerUpdate update) {

    static final int VERSION = 2;
    static final int MAX_BATCH = 0xffff;

    static byte[] encodeBatch(List<ReplicatedAnnounce> batch) {
        if (batch.size() > MAX_BATCH) {
            throw new IllegalArgumentException("batch of " + batch.size() + " (expected: <= " + MAX_BATCH + ")");
        }
        int size = 3;
        List<byte[]> keys = new ArrayList<>(batch.size());
        for (ReplicatedAnnounce a : batch) {
            byte[] key = a.update.key().getBytes(StandardCharsets.UTF_8);
            keys.add(key);
            size += 20 + 1 + 8 + 8 + 20 + 1 + a.update.endpoint().length + 1 + key.length;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.put((byte) VERSION).putShort((short) batch.size());
        for (int i = 0; i < batch.size(); i++) {
            PeerUpdate u = batch.get(i).update;
            byte[] key = keys.get(i);
            out.put(batch.get(i).infoHash.bytes()).put((byte) u.event().udpCode()).putLong(u.left()).putLong(u.atMillis());
            out.put(u.peerId().bytes()).put((byte) u.endpoint().length).put(u.endpoint()).put((byte) key.length).put(key);
        }
        return out.array();
    }

    /** Reads a batch another replica (or a stranger) wrote; anything malformed is refused whole, not guessed. */
    static List<ReplicatedAnnounce> decodeBatch(byte[] value) {
        if (value == null) {
            throw new IllegalArgumentException("record without a value");
        }
        try {
            ByteBuffer in = ByteBuffer.wrap(value);
            int version = in.get();
            if (version != VERSION) {
                throw new IllegalArgumentException("version " + version + " (expected: " + VERSION + ")");
            }
            int count = Short.toUnsignedInt(in.getShort());
            List<ReplicatedAnnounce> batch = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                byte[] infoHash = new byte[20];
                in.get(infoHash);
                AnnounceEvent event = AnnounceEvent.fromUdp(in.get());
                long left = in.getLong();
                long atMillis = in.getLong();
                byte[] peerId = new byte[20];
                in.get(peerId);
                byte[] endpoint = new byte[in.get() & 0xff];
                in.get(endpoint);
                byte[] key = new byte[in.get() & 0xff];
                in.get(key);
                batch.add(new ReplicatedAnnounce(InfoHash.of(infoHash), new PeerUpdate(PeerId.of(peerId), endpoint,
                        new String(key, StandardCharsets.UTF_8), left, event, atMillis)));
            }
            if (in.hasRemaining()) {
                throw new IllegalArgumentException(in.remaining() + " bytes after " + count + " announces");
            }
            return batch;
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("value of " + value.length + " bytes is truncated");
        } catch (TrackerRequestException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }
}
