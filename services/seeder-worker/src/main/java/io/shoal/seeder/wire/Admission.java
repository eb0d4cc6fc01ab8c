package io.shoal.seeder.wire;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.shoal.bittorrent.metainfo.InfoHash;
import io.shoal.bittorrent.mse.MseHandshake;
import io.shoal.bittorrent.peerwire.AllowedFastSet;
import io.shoal.bittorrent.peerwire.Handshake;
import io.shoal.bittorrent.peerwire.PeerMessage.AllowedFast;
import io.shoal.bittorrent.peerwire.PeerMessage.Bitfield;
import io.shoal.bittorrent.peerwire.PeerMessage.HaveAll;
import io.shoal.bittorrent.peerwire.PeerMessage.HaveNone;
import io.shoal.seeder.swarm.Swarm;
import io.shoal.seeder.torrent.SeededTorrent;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/**
 * Who may join: the checks on a peer's handshake (the torrent an encrypted handshake named, a torrent seeded
 * here, not ourselves), the torrent's and the address's limits, and what a joined peer is told first. The
 * worker's and the address's connection counts are taken before any of this, in {@link Seeding}.
 */
final class Admission {

    /** What a handshake comes to. */
    sealed interface Verdict {
    }

    /** Joined {@code swarm}: greet the peer. */
    record Joined(Swarm swarm) implements Verdict {
    }

    /** Refused: close the connection for {@code reason}. */
    record Refused(CloseReason reason, String detail) implements Verdict {
    }

    private Admission() {
    }

    /**
     * Checks a handshake and joins the peer to its torrent's swarm.
     *
     * @param dialled for a connection we opened, the swarm we dialled for (and {@code dialledHash} its hash); null
     *     for one a peer opened
     */
    static Verdict join(Seeding seeding, Channel channel, Handshake handshake, Swarm.Peer peer, InetAddress remote,
                        Swarm dialled, InfoHash dialledHash) {
        InfoHash named = channel.attr(MseHandshake.SKEY).get();
        if (named != null && !named.equals(handshake.infoHash())) {
            return new Refused(CloseReason.BAD_HANDSHAKE, "the encrypted handshake named " + named + ", the handshake "
                    + handshake.infoHash());
        }
        Optional<Swarm> found = dialled != null
                ? (handshake.infoHash().equals(dialledHash) ? Optional.of(dialled) : Optional.empty())
                : seeding.swarm(handshake.infoHash());
        if (found.isEmpty() || found.get().closed()) {
            return new Refused(CloseReason.UNKNOWN_TORRENT, "info-hash " + handshake.infoHash() + " is not seeded here");
        }
        if (handshake.peerId().equals(seeding.peerId())) {
            return new Refused(CloseReason.BAD_HANDSHAKE, "connected to ourselves");
        }
        Swarm swarm = found.get();
        WireSettings settings = seeding.settings();
        return switch (swarm.join(peer, settings.perTorrent(), settings.perAddressPerTorrent())) {
            case FULL -> new Refused(CloseReason.FULL, "torrent " + swarm.torrent().key() + " has " + settings.perTorrent()
                    + " peers");
            case ADDRESS_FULL -> new Refused(CloseReason.ADDRESS_FULL, remote.getHostAddress() + " has "
                    + settings.perAddressPerTorrent() + " connections to torrent " + swarm.torrent().key());
            case JOINED -> {
                MseHandshake.Method method = channel.attr(MseHandshake.METHOD).get();
                seeding.events().negotiated(method == null ? MseHandshake.Method.PLAINTEXT : method);
                yield new Joined(swarm);
            }
        };
    }

    /** BEP 6: a few pieces a choked peer may take at once, so a new peer has something to trade from the start. */
    static Set<Integer> allowedFast(WireSettings settings, Swarm swarm, Handshake handshake, InetAddress remote) {
        return handshake.fastExtension() && !swarm.superSeeding()
                ? AllowedFastSet.of(settings.allowedFast(), remote, handshake.infoHash(), swarm.torrent().pieceCount())
                : Set.of();
    }

    /**
     * What a joined peer hears first: our handshake (unless we dialled and sent it already), what we have, its
     * allowed-fast pieces, the extension handshake.
     */
    static void greet(ChannelHandlerContext ctx, Seeding seeding, Swarm swarm, Handshake handshake, boolean weDialled,
                      Set<Integer> allowedFast) {
        SeededTorrent torrent = swarm.torrent();
        if (!weDialled) {
            ctx.write(Handshake.of(handshake.infoHash(), seeding.peerId(), false));
        }
        // BEP 6: have-all / have-none only straight after the handshake; BEP 16: a super-seed claims nothing
        if (swarm.superSeeding()) {
            if (handshake.fastExtension()) {
                ctx.write(new HaveNone());
            }
        } else if (handshake.fastExtension()) {
            ctx.write(new HaveAll());
            allowedFast.forEach(p -> ctx.write(new AllowedFast(p)));
        } else {
            ctx.write(new Bitfield(allPieces(torrent.pieceCount())));
        }
        if (handshake.extensionProtocol()) {
            ctx.write(ExtensionExchange.handshake(torrent, seeding.settings()));
        }
        ctx.flush();
    }

    /** BEP 3: a bitfield with every piece, the spare bits of its last byte clear. */
    static byte[] allPieces(int count) {
        byte[] bits = new byte[(count + 7) / 8];
        Arrays.fill(bits, (byte) 0xff);
        if (count % 8 != 0) {
            bits[bits.length - 1] = (byte) (0xff << (8 - count % 8));
        }
        return bits;
    }
}
