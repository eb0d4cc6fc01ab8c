package io.shoal.seeder.wire;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.shoal.bittorrent.peerwire.PeerMessage.Cancel;
import io.shoal.bittorrent.peerwire.PeerMessage.RejectRequest;
import io.shoal.bittorrent.peerwire.PeerMessage.Request;
import io.shoal.bittorrent.peerwire.PeerMessage.Suggest;
import io.shoal.bittorrent.peerwire.PeerMessageCodec;
import io.shoal.seeder.swarm.PeerLedger;
import io.shoal.seeder.swarm.Swarm;
import io.shoal.seeder.torrent.SeededTorrent;
import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.jboss.logging.Logger;

/**
 * One connection's request queue: requests in, blocks out while the socket takes them, cancels and rejects
 * (BEP 6), a piece not in memory read first (with the other pieces the queue asks for) and then served.
 * Blocks are a 13-byte header and a slice of the cached (off-heap) piece, never a copy; since blocks are
 * written only while the channel is writable, the cached bytes one connection pins are bounded by its write
 * buffer (and one piece while it serves).
 * Used on the connection's event loop only.
 */
final class BlockServer {

    private static final Logger LOG = Logger.getLogger(BlockServer.class);

    /** What the queue needs to know of its connection. */
    interface Owner extends Swarm.Peer {
        /** False once the connection is closing. */
        boolean open();

        void close(CloseReason reason, String detail);
    }

    private final Channel channel;
    private final Seeding seeding;
    private final Swarm swarm;
    private final SeededTorrent torrent;
    /**
     * How far ahead of a streaming peer its pieces are read (and suggested), at most: read-ahead waits behind
     * every piece a peer asked for, so it only uses the store's spare capacity.
     */
    static final int READ_AHEAD_BYTES = 256 << 20;

    private final PeerLedger account;
    private final boolean fast;
    /** BEP 6: pieces this peer may ask for while choked. */
    private final Set<Integer> allowedFast;
    private final Owner owner;
    private final ArrayDeque<Request> requests = new ArrayDeque<>();
    /** Pieces the peer has (from its bitfield and haves) or asked for: never read ahead for it. */
    private final BitSet theirs;
    /** Pieces read ahead and suggested that the peer has not asked for yet. */
    private final BitSet suggested;
    private int suggestedCount;
    private int cursor;
    private boolean streaming;
    private boolean exhausted;
    private boolean loading;
    /** The piece a read just completed for: if it is not in memory when served, it never will be. */
    private int justLoaded = -1;
    private volatile long servedThisRound; // read and reset by the choker's thread

    BlockServer(Channel channel, Seeding seeding, Swarm swarm, PeerLedger account, boolean fast, Set<Integer> allowedFast,
                Owner owner) {
        this.channel = channel;
        this.seeding = seeding;
        this.swarm = swarm;
        this.torrent = swarm.torrent();
        this.account = account;
        this.fast = fast;
        this.allowedFast = allowedFast;
        this.owner = owner;
        this.theirs = new BitSet(torrent.pieceCount());
        this.suggested = new BitSet(torrent.pieceCount());
        this.cursor = ThreadLocalRandom.current().nextInt(torrent.pieceCount());
    }

    /** Whether the peer said it has this piece, or asked us for it. */
    boolean known(int piece) {
        return theirs.get(piece);
    }

    /** The peer has this piece now: nothing to read ahead for it. */
    void peerHas(int piece) {
        theirs.set(piece);
        unsuggest(piece);
    }

    /** Takes a piece out of the read-ahead window; false if it was not in it. */
    private boolean unsuggest(int piece) {
        if (!suggested.get(piece)) {
            return false;
        }
        suggested.clear(piece);
        suggestedCount--; // kept beside the set: counting a large BitSet on every request would cost more
        return true;
    }

    /**
     * Unchoked (and not super-seeding): keep a window of pieces the peer lacks read ahead, and suggest each
     * once it is in memory (BEP 6), so a peer that follows suggestions asks for what is already there while
     * the next ones are read; the window moves on as the peer asks for or gets the pieces in it. Each
     * connection starts at a random piece, so peers of one swarm stream different parts and have something
     * to trade.
     */
    void stream() {
        if (!fast || swarm.superSeeding()) {
            return;
        }
        if (!streaming) {
            streaming = true;
            seeding.streamStarted();
        }
        readAhead();
    }

    void stopStreaming() {
        if (streaming) {
            streaming = false;
            seeding.streamStopped();
        }
    }

    /**
     * Pieces read ahead for this peer: {@link #READ_AHEAD_BYTES}, or less when the streaming peers' windows
     * together would take more than half the cache (then they would evict each other's pieces unread).
     */
    private int window() {
        long share = seeding.store().capacity() / 2 / Math.max(1, seeding.streams());
        return (int) Math.max(1, Math.min(READ_AHEAD_BYTES, share) / Math.max(1, torrent.pieceLength()));
    }

    private void readAhead() {
        int count = torrent.pieceCount();
        int window = window();
        int looked = 0;
        for (; !exhausted && streaming && suggestedCount < window && looked < count; looked++) {
            int piece = cursor;
            cursor = (cursor + 1) % count;
            if (theirs.get(piece) || suggested.get(piece)) {
                continue;
            }
            suggested.set(piece);
            suggestedCount++;
            seeding.store().prefetch(torrent, piece).whenComplete((loaded, failure) -> channel.eventLoop().execute(() -> {
                if (failure != null && unsuggest(piece)) { // not read: not suggested, and not read ahead again
                    theirs.set(piece);
                } else if (failure == null && streaming && owner.open() && suggested.get(piece)) {
                    channel.writeAndFlush(new Suggest(piece));
                }
            }));
        }
        if (looked == count && suggestedCount < window) {
            exhausted = true; // every piece is the peer's or suggested: nothing will be eligible again
        }
    }

    void request(Request r) {
        if (r.index() >= torrent.pieceCount() || r.length() == 0 || r.length() > WireSettings.MAX_BLOCK
                || (long) r.begin() + r.length() > torrent.requestableSize(r.index())) {
            owner.close(CloseReason.OUT_OF_RANGE, "request " + r.index() + "/" + r.begin() + "+" + r.length()
                    + " is outside the torrent or larger than " + WireSettings.MAX_BLOCK);
            return;
        }
        if ((!owner.unchoked() && !allowedFast.contains(r.index())) || !swarm.mayRequest(owner, r.index())) {
            reject(r);
            channel.flush();
            return;
        }
        theirs.set(r.index());
        if (unsuggest(r.index())) { // the peer took a suggestion: the window moves on
            readAhead();
        }
        int queue = seeding.settings().requestQueue();
        if (requests.size() >= 2 * queue) {
            owner.close(CloseReason.FLOOD, requests.size() + " requests queued (we said reqq " + queue + ")");
            return;
        }
        requests.add(r); // served once the read is done: one flush for every request in it (PeerConnection)
    }

    void cancel(Cancel c) {
        Iterator<Request> it = requests.iterator();
        while (it.hasNext()) {
            Request r = it.next();
            if (r.index() == c.index() && r.begin() == c.begin() && r.length() == c.length()) {
                it.remove();
                reject(r); // BEP 6: a cancelled request is answered with a reject
                channel.flush();
                return;
            }
        }
    }

    /** Choked: every queued request is rejected (BEP 6: with the fast extension a choke cancels nothing by itself). */
    void rejectAll() {
        requests.forEach(this::reject);
        requests.clear();
    }

    void clear() {
        requests.clear();
        stopStreaming();
    }

    /**
     * Writes queued blocks while the socket takes them, each a slice of the cached piece holding a reference
     * until it is sent; a piece not in memory is read first, then we go on.
     */
    void serve() {
        boolean wrote = false;
        ByteBuf piece = null;
        int pieceIndex = -1;
        try {
            while (!loading && !requests.isEmpty() && channel.isWritable() && owner.open()) {
                Request r = requests.peek();
                if (r.index() != pieceIndex) {
                    if (piece != null) {
                        piece.release();
                    }
                    piece = seeding.store().cached(torrent, r.index());
                    pieceIndex = piece == null ? -1 : r.index();
                }
                if (piece == null) {
                    if (justLoaded == r.index()) { // read, but not kept: larger than the cache, or evicted at once
                        justLoaded = -1;
                        unavailable(r.index(), "read but not kept in memory");
                        continue;
                    }
                    load(r.index());
                    break;
                }
                requests.poll();
                ByteBuf header = channel.alloc().buffer(13);
                PeerMessageCodec.encodePieceHeader(r.index(), r.begin(), r.length(), header);
                channel.write(header);
                channel.write(piece.retainedSlice(r.begin(), r.length()));
                swarm.served(account, r.index(), r.length());
                servedThisRound += r.length();
                seeding.events().served(r.length());
                wrote = true;
            }
        } finally {
            if (piece != null) {
                piece.release();
            }
        }
        if (wrote) {
            channel.flush();
        }
    }

    long servedThisRound() {
        return servedThisRound;
    }

    void newRound() {
        servedThisRound = 0;
    }

    private void load(int piece) {
        loading = true;
        prefetchQueued(piece);
        seeding.store().load(torrent, piece).whenComplete((loaded, failure) -> channel.eventLoop().execute(() -> {
            loading = false;
            if (failure != null) {
                unavailable(piece, failure.getMessage());
            } else {
                justLoaded = piece;
            }
            serve();
        }));
    }

    /**
     * Starts reading the other pieces this peer has asked for while the first is read, so a peer's queue
     * costs one store round trip, not one per piece (the store shares reads and bounds them by its readers).
     */
    private void prefetchQueued(int loadingPiece) {
        int previous = loadingPiece;
        for (Request queued : requests) {
            if (queued.index() != previous && queued.index() != loadingPiece) {
                seeding.store().load(torrent, queued.index()); // asked for: ahead of any read-ahead
                previous = queued.index();
            }
        }
    }

    /** A piece we cannot serve now: its requests are rejected (or dropped), the peer may ask again. */
    private void unavailable(int piece, String why) {
        LOG.debugf("requests for piece %d of %s from %s refused: %s", piece, torrent, channel.remoteAddress(), why);
        Iterator<Request> it = requests.iterator();
        while (it.hasNext()) {
            Request r = it.next();
            if (r.index() == piece) {
                it.remove();
                reject(r);
            }
        }
        channel.flush();
    }

    private void reject(Request r) {
        if (fast) { // BEP 6; without it a choked peer's requests are dropped
            channel.write(new RejectRequest(r.index(), r.begin(), r.length()));
        }
    }
}
