package io.shoal.seeder;

import io.shoal.bittorrent.mse.EncryptionPolicy;
import io.shoal.seeder.storage.CacheSize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

@ConfigMapping(prefix = "shoal.seeder")
public interface SeederConfig {

    /** The TCP port the peer wire server listens on (DESIGN.md: 6881, a second local worker 6882). */
    int peerPort();

    /** The address the peer wire server binds; every interface unless set. */
    @WithDefault("0.0.0.0")
    String peerHost();

    /** The address clients can reach this worker at, announced to the tracker (a node's IP in Kubernetes). */
    String advertisedHost();

    /** The port announced to the tracker when it differs from {@link #peerPort()} (NAT, hostPort mapping). */
    Optional<Integer> advertisedPort();

    /** The consumer group the workers share {@code shoal.torrents}' partitions in. */
    @WithDefault("shoal-seeder-workers")
    String group();

    /** How long Kafka waits for a worker that stopped heartbeating before its torrents move to the others. */
    @WithDefault("10s")
    Duration sessionTimeout();

    Connections connections();

    Choking choking();

    Cache cache();

    Announce announce();

    SuperSeeding superSeeding();

    Preheat preheat();

    /**
     * Message Stream Encryption: prefer (accept plaintext and encrypted handshakes and answer in kind; dial
     * encrypted, again in plaintext if refused), require (encrypted handshakes and RC4 only) or off.
     */
    @WithDefault("prefer")
    EncryptionPolicy encryption();

    /** Peers gone this long are dropped from the ledger (and from shoal.seeder.stats). */
    @WithDefault("1h")
    Duration ledgerRetention();

    /** Upload cap over all peers in bytes per second (0: none). */
    @WithDefault("0")
    long uploadRateLimit();

    /** How often the ledger is published to shoal.seeder.stats. */
    @WithDefault("10s")
    Duration statsInterval();

    interface Connections {
        /** Peers connected per torrent. */
        @WithDefault("50")
        int perTorrent();

        /** Peers connected over all torrents. */
        @WithDefault("1000")
        int total();

        /** Connections one IP address may hold to one torrent. */
        @WithDefault("4")
        int perAddress();

        /** Connections one IP address may hold to this worker, over all torrents. */
        @WithDefault("16")
        int perAddressTotal();

        /** BEP 6: pieces a choked peer may still download (its allowed-fast set; 0: none). */
        @WithDefault("10")
        int allowedFast();

        /** A peer whose unsent bytes pass this (it asks and does not read) is closed. */
        @WithDefault("4194304")
        long maxUnsentBytes();

        /**
         * Requests a peer may have queued; we tell peers this number (BEP 10 reqq); twice it closes the connection.
         * Unset: what a peer's share of the upload cap sends in two seconds, or 2000 (libtorrent's own) without a
         * cap ({@link io.shoal.seeder.wire.WireSettings#requestQueueFor}).
         */
        OptionalInt requestQueue();

        /** Time a new connection has to send its handshake. */
        @WithDefault("10s")
        Duration handshakeTimeout();

        /** A connection that says nothing for this long is closed (peers send keep-alives every 2 minutes). */
        @WithDefault("150s")
        Duration idleTimeout();

        /** How often a keep-alive goes to a peer we have nothing else to say to. */
        @WithDefault("90s")
        Duration keepAlive();
    }

    interface Choking {
        /** Peers unchoked at once per torrent, besides the optimistic unchoke. */
        @WithDefault("8")
        int uploadSlots();

        /**
         * round-robin, fastest-download-first, or ledger (the peers that pass on most of what they got from us first:
         * BitSwap's debt ratio, see {@code LedgerFirst}).
         */
        @WithDefault("fastest-download-first")
        String policy();

        /** BEP 3: the unchoke set is recomputed this often. */
        @WithDefault("10s")
        Duration interval();

        /** BEP 3: the optimistic unchoke moves on this often. */
        @WithDefault("30s")
        Duration optimisticInterval();
    }

    interface Cache {
        /**
         * Verified pieces kept in memory: bytes ({@code 512M}) or a share of the heap ({@code 40%}, what the
         * Kubernetes manifests set, so the cache grows with the container's memory limit).
         */
        @WithDefault("128M")
        CacheSize size();

        /** Pieces read ahead of the one a peer asks for. */
        @WithDefault("2")
        int readAhead();

        /** Pieces read from the object store at once. */
        @WithDefault("8")
        int readers();
    }

    interface Announce {
        /** Re-announce at most this long apart, even when the tracker asks for longer (empty: as the tracker says). */
        Optional<Duration> maxInterval();

        /** Leechers from an announce this worker connects out to, per torrent. */
        @WithDefault("20")
        int connectOut();
    }

    /** Preheats (shoal.seeder.preheat): a torrent's pieces read into the cache before hosts ask. */
    interface Preheat {
        /**
         * Requests this old still count: a worker that starts (or takes over a torrent) preheats what was asked for
         * within it.
         */
        @WithDefault("1h")
        Duration window();

        /** Pieces one preheat reads from the object store at once (behind every piece a peer waits for). */
        @WithDefault("4")
        int parallelReads();
    }

    interface SuperSeeding {
        /** BEP 16 for every torrent. */
        @WithDefault("false")
        boolean all();

        /** BEP 16 for these torrents (v1 or v2 info-hashes in hex). */
        Optional<List<String>> torrents();
    }
}
