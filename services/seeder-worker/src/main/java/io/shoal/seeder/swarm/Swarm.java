package io.shoal.seeder.swarm;

import io.shoal.events.HostReportsEvent;
import io.shoal.seeder.choke.ChokeCandidate;
import io.shoal.seeder.choke.Choker;
import io.shoal.seeder.torrent.SeededTorrent;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.random.RandomGenerator;

/**
 * One torrent as this worker seeds it: the peers connected for it, who of them is unchoked, the
 * super-seeding offers, and the ledger. Connections call in from their event loops, the choker from the
 * scheduler; the peer set and the choking decisions are guarded by this object's lock.
 */
public final class Swarm {

    /** What the swarm asks of a connection; {@code PeerConnection} implements it. */
    public interface Peer extends ChokeCandidate {
        /** Chokes or unchokes on the connection's own thread. */
        void choke(boolean choke);

        /** Tells the peer of a piece (BEP 16: the one it may download). */
        void offer(int piece);

        /** The address the peer accepts connections at, if known. */
        InetSocketAddress listenAddress();

        /** The IP address the connection comes from (or goes to). */
        InetAddress remoteAddress();

        boolean interested();

        /** BEP 11: tells the peer who else is in the swarm (if it speaks ut_pex). */
        void exchangePeers(List<InetSocketAddress> others);

        /** A new choking round: the bytes counted towards the next one start at zero. */
        void newRound();

        void close(String reason);
    }

    private final SeededTorrent torrent;
    private final Choker choker;
    private final SuperSeeder<Peer> superSeeder;
    private final Set<Peer> peers = new HashSet<>();
    private final Map<String, PeerLedger> ledger = new ConcurrentHashMap<>();
    /**
     * Accounts by where their peers listen: the tracker reports hosts by endpoint, and a peer id does not identify a
     * host (libtorrent sends a new one on every connection, Transmission changes its own). One entry per account.
     */
    private final Map<String, PeerLedger> byEndpoint = new ConcurrentHashMap<>();
    private final LongAdder served = new LongAdder();
    /**
     * Per piece, the account we served it to first, or first since that peer left: the connected peer whose copy the
     * others' copies came from.
     */
    private final AtomicReferenceArray<PeerLedger> firstServed;
    /** Listen addresses of peers found to be seeds, with when: not dialled again for {@link #SEED_MEMORY}. */
    private final Map<InetSocketAddress, Long> seeds = new LinkedHashMap<>();
    /** How long a peer found to be a seed is not dialled again; at most {@link #MAX_SEEDS} remembered. */
    public static final Duration SEED_MEMORY = Duration.ofMinutes(30);
    static final int MAX_SEEDS = 1024;
    private long reported;
    private volatile boolean closed;

    public Swarm(SeededTorrent torrent, Choker choker, boolean superSeeding, RandomGenerator random) {
        this.torrent = torrent;
        this.choker = choker;
        this.superSeeder = superSeeding ? new SuperSeeder<>(torrent.pieceCount(), random) : null;
        this.firstServed = new AtomicReferenceArray<>(torrent.pieceCount());
    }

    public SeededTorrent torrent() {
        return torrent;
    }

    public boolean superSeeding() {
        return superSeeder != null;
    }

    public boolean closed() {
        return closed;
    }

    /** Whether a peer was admitted. */
    public enum Admission { JOINED, FULL, ADDRESS_FULL }

    /**
     * Admits a peer that finished its handshake, unless the torrent has {@code limit} peers already (or is
     * retired), or {@code perAddress} of them come from the peer's IP address.
     */
    public synchronized Admission join(Peer peer, int limit, int perAddress) {
        if (closed || peers.size() >= limit) {
            return Admission.FULL;
        }
        InetAddress address = peer.remoteAddress();
        if (peers.stream().filter(p -> address.equals(p.remoteAddress())).count() >= perAddress) {
            return Admission.ADDRESS_FULL;
        }
        peers.add(peer);
        if (superSeeder != null) {
            superSeeder.join(peer);
        }
        return Admission.JOINED;
    }

    public synchronized void leave(Peer peer) {
        if (peers.remove(peer) && superSeeder != null) {
            superSeeder.leave(peer);
        }
        if (peer.unchoked() && !closed) {
            fillFreeSlots();
        }
    }

    public synchronized int size() {
        return peers.size();
    }

    public synchronized List<Peer> peers() {
        return new ArrayList<>(peers);
    }

    /** Whether the peer is connected to us at this listen address already (no second connection). */
    public synchronized boolean connectedTo(InetSocketAddress address) {
        return peers.stream().anyMatch(p -> address.equals(p.listenAddress()));
    }

    /** A peer turned out to be a seed, like us: nothing to trade, so it is not dialled again for a while. */
    public synchronized void rememberSeed(InetSocketAddress listenAddress) {
        seeds.remove(listenAddress);
        seeds.put(listenAddress, System.nanoTime());
        if (seeds.size() > MAX_SEEDS) {
            seeds.remove(seeds.keySet().iterator().next());
        }
    }

    /** Whether a peer at this listen address was found to be a seed within {@link #SEED_MEMORY}. */
    public synchronized boolean knownSeed(InetSocketAddress listenAddress) {
        Long since = seeds.get(listenAddress);
        if (since == null) {
            return false;
        }
        if (System.nanoTime() - since > SEED_MEMORY.toNanos()) {
            seeds.remove(listenAddress);
            return false;
        }
        return true;
    }

    /** A peer became interested: it gets a free upload slot at once, not at the next round. */
    public synchronized void interested(Peer peer) {
        if (!peer.unchoked() && peers.contains(peer) && choker.freeSlot(peers)) {
            peer.choke(false);
        }
    }

    /** A peer lost interest: its slot goes to one that waits. */
    public synchronized void notInterested(Peer peer) {
        if (peer.unchoked()) {
            peer.choke(true);
            fillFreeSlots();
        }
    }

    private void fillFreeSlots() {
        for (Peer waiting : peers) {
            if (!waiting.unchoked() && waiting.interested() && choker.freeSlot(peers)) {
                waiting.choke(false);
            }
        }
    }

    /** BEP 3's round (every 10 s): the policy's and the optimistic unchokes; everyone else choked. */
    public synchronized void chokeRound() {
        if (closed) {
            return;
        }
        List<Peer> interested = peers.stream().filter(Peer::interested).toList();
        Set<ChokeCandidate> unchoke = choker.round(interested);
        for (Peer peer : peers) {
            boolean want = unchoke.contains(peer);
            if (want != peer.unchoked()) {
                peer.choke(!want);
            }
            peer.newRound();
        }
    }

    // BEP 16

    /** The peer has {@code piece} (have, bitfield); under super-seeding it may get a new offer. Else nothing to do. */
    public void has(Peer peer, int piece) {
        if (superSeeder == null) {
            return; // no lock taken: a bitfield calls this once a piece
        }
        synchronized (this) {
            superSeeder.has(peer, piece);
            offerNext(peer);
        }
    }

    /** Under super-seeding, the first offers to a new peer. */
    public synchronized void offerNext(Peer peer) {
        if (superSeeder == null || !peers.contains(peer)) {
            return;
        }
        for (OptionalInt next = superSeeder.nextOffer(peer); next.isPresent(); next = superSeeder.nextOffer(peer)) {
            peer.offer(next.getAsInt());
        }
    }

    /** Whether the peer may download this piece from us: always, except under super-seeding. */
    public synchronized boolean mayRequest(Peer peer, int piece) {
        return superSeeder == null || superSeeder.offered(peer, piece);
    }

    // the ledger

    /** Most accounts kept per torrent: beyond it the peers gone longest are forgotten first. */
    public static final int MAX_LEDGER = 4096;

    /** The account of a peer that just connected (the same one it had if it comes back): release it on leaving. */
    public PeerLedger account(String peerId, String address) {
        PeerLedger account = ledger.compute(peerId, (id, known) -> {
            PeerLedger a = known == null ? new PeerLedger(id, address) : known;
            a.connected(address);
            return a;
        });
        return account;
    }

    public void release(PeerLedger account) {
        ledger.computeIfPresent(account.peerId(), (id, a) -> {
            a.disconnected();
            return a;
        });
    }

    /**
     * Forgets the accounts of peers gone for longer than {@code retention}, and the longest gone beyond
     * {@link #MAX_LEDGER} accounts (a peer id costs a peer nothing, so ids alone must not grow the ledger).
     */
    public void forgetGone(Duration retention) {
        long now = System.nanoTime();
        ledger.values().removeIf(a -> a.goneFor(now) > retention.toNanos());
        int over = ledger.size() - MAX_LEDGER;
        if (over > 0) {
            ledger.values().stream().filter(a -> a.goneFor(now) >= 0)
                    .sorted(Comparator.comparingLong((PeerLedger a) -> a.goneFor(now)).reversed()).limit(over).toList()
                    .forEach(a -> ledger.remove(a.peerId(), a));
        }
        byEndpoint.values().removeIf(a -> ledger.get(a.peerId()) != a);
    }

    /** A block of {@code piece} went to this peer. */
    public void served(PeerLedger account, int piece, long bytes) {
        account.served(bytes);
        served.add(bytes);
        PeerLedger first = firstServed.get(piece);
        if (first == null || (first != account && !first.connected())) { // a swarm outlives its peers: credit goes to those here
            firstServed.compareAndSet(piece, first, account);
        }
    }

    /**
     * A peer announced (HAVE) a piece it did not ask us for: it came from another peer, so whoever we served the
     * piece to first passed it on (directly or through others); its account is credited the piece. A peer's own
     * copies and pieces nobody got from us credit nobody.
     */
    public void passedOn(PeerLedger announcer, int piece) {
        PeerLedger first = firstServed.get(piece);
        if (first != null && first != announcer) {
            first.passedOn(torrent.pieceSize(piece));
        }
    }

    /** The peer of this account accepts connections at {@code listen} (we dialled it, or it said so in BEP 10). */
    public void listensAt(PeerLedger account, InetSocketAddress listen) {
        String endpoint = HostReportsEvent.endpoint(listen.getAddress(), listen.getPort());
        String before = account.listenEndpoint();
        if (endpoint.equals(before)) {
            return;
        }
        if (before != null) {
            byEndpoint.remove(before, account);
        }
        account.listenEndpoint(endpoint);
        byEndpoint.put(endpoint, account);
    }

    /**
     * A host's latest announce to the tracker (shoal.tracker.hosts), if it is a peer we keep an account of: the one
     * listening at {@code endpoint}.
     */
    public void reported(String endpoint, long uploaded, long downloaded, long atMillis) {
        PeerLedger account = byEndpoint.get(endpoint);
        if (account != null) {
            account.reported(uploaded, downloaded, atMillis);
        }
    }

    public long servedBytes() {
        return served.sum();
    }

    /** Bytes served since the last call (for the stats topic, from one thread). */
    public long takeServedSinceReport() {
        long total = served.sum();
        long since = total - reported;
        reported = total;
        return since;
    }

    public List<PeerLedger> ledger() {
        return List.copyOf(ledger.values());
    }

    /** BEP 11 (at most once a minute): every peer hears of the others it could trade with. */
    public void exchangePeers() {
        List<Peer> all = peers();
        List<InetSocketAddress> addresses = all.stream().map(Peer::listenAddress).filter(Objects::nonNull).toList();
        if (addresses.size() > 1) {
            all.forEach(p -> p.exchangePeers(addresses));
        }
    }

    /** Retires the swarm: every connection closed. */
    public void close(String reason) {
        List<Peer> all;
        synchronized (this) {
            closed = true;
            all = new ArrayList<>(peers);
        }
        all.forEach(p -> p.close(reason));
    }
}
