package io.shoal.bittorrent.tracker;

import io.shoal.bittorrent.metainfo.InfoHash;
import java.util.List;

/**
 * BEP 15 UDP tracker packets. Requests travel client to tracker, replies tracker to client; every packet
 * carries the client's transaction id back.
 */
public sealed interface UdpTrackerPacket {

    /** 0x41727101980, the magic of a connect request. */
    long PROTOCOL_ID = 0x41727101980L;
    int CONNECT = 0;
    int ANNOUNCE = 1;
    int SCRAPE = 2;
    int ERROR = 3;
    /** BEP 15: at most about 74 hashes fit a scrape request in one datagram. */
    int MAX_SCRAPE_HASHES = 74;

    int transactionId();

    sealed interface Request extends UdpTrackerPacket permits ConnectRequest, AnnounceRequestPacket, ScrapeRequestPacket {
    }

    sealed interface Reply extends UdpTrackerPacket permits ConnectReply, AnnounceReply, ScrapeReply, ErrorReply {
    }

    /** {@code <protocol_id:u64><action=0:u32><transaction_id:u32>} */
    record ConnectRequest(int transactionId) implements Request {
    }

    /** {@code <action=0:u32><transaction_id:u32><connection_id:u64>} */
    record ConnectReply(int transactionId, long connectionId) implements Reply {
    }

    /**
     * {@code <connection_id:u64><action=1:u32><transaction_id:u32><info_hash:20><peer_id:20><downloaded:u64>
     * <left:u64><uploaded:u64><event:u32><ip:u32><key:u32><num_want:i32><port:u16>} (98 bytes)
     *
     * @param ipv4 the ip field: 0, or an IPv4 address the client claims
     */
    record AnnounceRequestPacket(long connectionId, int transactionId, AnnounceRequest request, int ipv4)
            implements Request {
    }

    /** {@code <connection_id:u64><action=2:u32><transaction_id:u32><info_hash:20>*} */
    record ScrapeRequestPacket(long connectionId, int transactionId, List<InfoHash> infoHashes) implements Request {
        public ScrapeRequestPacket {
            infoHashes = List.copyOf(infoHashes);
        }
    }

    /**
     * {@code <action=1:u32><transaction_id:u32><interval:u32><leechers:u32><seeders:u32>} then 6-byte peers
     * on IPv4, 18-byte peers on IPv6: the family of the socket the request came in on.
     */
    record AnnounceReply(int transactionId, int interval, int leechers, int seeders, List<PeerAddress> peers,
                         boolean ipv6) implements Reply {
        public AnnounceReply {
            peers = List.copyOf(peers);
        }
    }

    /** {@code <action=2:u32><transaction_id:u32>} then {@code <seeders:u32><completed:u32><leechers:u32>} per hash. */
    record ScrapeReply(int transactionId, List<ScrapeStats> stats) implements Reply {
        public ScrapeReply {
            stats = List.copyOf(stats);
        }
    }

    /** {@code <action=3:u32><transaction_id:u32><message>} */
    record ErrorReply(int transactionId, String message) implements Reply {
    }
}
