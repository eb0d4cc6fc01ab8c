package io.shoal.tracker.kafka;

import io.shoal.bittorrent.metainfo.InfoHash;
import io.shoal.bittorrent.metainfo.PeerId;
import io.shoal.bittorrent.tracker.AnnounceEvent;
import io.shoal.bittorrent.tracker.TrackerRequestException;
import io.shoal.tracker.swarm.PeerUpdate;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * One announce as it travels between replicas on shoal.tracker.announces. A record carries a batch of
 * them (a record per announce would cost the broker more than the announce itself), keyed by the sending
 * replica's id so a replica skips its own without reading them: value {@code <version=3:u8><count:u16>}
 * then per announce {@code <info_hash:20><event:u8><flags:u8><left:u64><at_millis:u64><peer_id:20>
 * <endpoint_length:u8><endpoint>}, flags bit 0 set when the announce came from a trusted address. Version 2
 * (a BEP 3 key where version 3 has flags) is still read, so replicas can be upgraded one at a time.
 */
public record ReplicatedAnnounce(InfoHash infoHash, PeerUpdate update) {

    static final int VERSION = 3;
    private static final int TRUSTED = 1;
    static final int MAX_BATCH = 0xffff;

    static byte[] encodeBatch(List<ReplicatedAnnounce> batch) {
        if (batch.size() > MAX_BATCH) {
            throw new IllegalArgumentException("batch of " + batch.size() + " (expected: <= " + MAX_BATCH + ")");
        }
        int size = 3;
        for (ReplicatedAnnounce a : batch) {
            size += 20 + 1 + 1 + 8 + 8 + 20 + 1 + a.update.endpoint().length;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.put((byte) VERSION).putShort((short) batch.size());
        for (ReplicatedAnnounce a : batch) {
            PeerUpdate u = a.update;
            out.put(a.infoHash.bytes()).put((byte) u.event().udpCode()).put((byte) (u.trusted() ? TRUSTED : 0))
                    .putLong(u.left()).putLong(u.atMillis());
            u.peerId().copyTo(out.array(), out.position());
            out.position(out.position() + PeerId.LENGTH).put((byte) u.endpoint().length).put(u.endpoint());
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
            if (version != VERSION && version != 2) {
                throw new IllegalArgumentException("version " + version + " (expected: 2 or " + VERSION + ")");
            }
            int count = Short.toUnsignedInt(in.getShort());
            List<ReplicatedAnnounce> batch = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                byte[] infoHash = new byte[20];
                in.get(infoHash);
                AnnounceEvent event = AnnounceEvent.fromUdp(in.get());
                boolean trusted = version == VERSION && (in.get() & TRUSTED) != 0;
                long left = in.getLong();
                long atMillis = in.getLong();
                byte[] peerId = new byte[20];
                in.get(peerId);
                byte[] endpoint = new byte[in.get() & 0xff];
                in.get(endpoint);
                if (version == 2) {
                    in.get(new byte[in.get() & 0xff]); // the key, which swarms no longer keep
                }
                batch.add(new ReplicatedAnnounce(InfoHash.of(infoHash), new PeerUpdate(PeerId.of(peerId), endpoint,
                        trusted, left, event, atMillis)));
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
