package io.shoal.bittorrent.metainfo;

import io.shoal.bittorrent.bencode.BDict;
import io.shoal.bittorrent.bencode.BInteger;
import io.shoal.bittorrent.bencode.BList;
import io.shoal.bittorrent.bencode.BString;
import io.shoal.bittorrent.bencode.BValue;
import io.shoal.bittorrent.bencode.BencodeEncoder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A .torrent file (BEP 3, 5, 12, 19, 27, 52): the info dictionary as received, its info-hashes, and the
 * fields around it. Parse one with {@link MetainfoParser}; write one with {@link #encode}.
 *
 * @param info          the info dictionary; {@code info.rawBytes()} are the bytes the hashes cover
 * @param v1Hash        SHA-1 of the info dictionary, for v1 and hybrid torrents
 * @param v2Hash        SHA-256 of the info dictionary, for v2 and hybrid torrents
 * @param files         for v1 and hybrid the {@code files} list as written (pad files included), for v2
 *                      the file tree in order; a single-file torrent has one entry named after it
 * @param pieceLayers   BEP 52: pieces root to piece layer
 * @param announceTiers BEP 12 tiers; a lone {@code announce} is one tier of one URL
 * @param urlList       BEP 19 web seeds
 */
public record Metainfo(BDict info, Optional<InfoHash> v1Hash, Optional<InfoHash> v2Hash, TorrentFormat format,
                       String name, int pieceLength, boolean singleFile, List<FileEntry> files, byte[] pieces,
                       Map<BString, byte[]> pieceLayers, List<List<String>> announceTiers, List<String> urlList,
                       Optional<String> comment, Optional<String> createdBy, Optional<Instant> creationDate,
                       boolean privateTorrent) {

    /**
     * The largest .torrent file Shoal writes, serves or reads: what {@link PieceLengthPolicy#MAX_PIECES} pieces of a
     * hybrid torrent need, with room for the file list. A seeder reading a larger one is being fed something else.
     */
    public static final int MAX_TORRENT_BYTES = 64 * 1024 * 1024;

    public Metainfo {
        files = List.copyOf(files);
        pieces = pieces.clone();
        pieceLayers = Map.copyOf(pieceLayers);
        announceTiers = announceTiers.stream().map(List::copyOf).toList();
        urlList = List.copyOf(urlList);
    }

    @Override
    public byte[] pieces() {
        return pieces.clone();
    }

    /** Bytes of content, pad files left out. */
    public long contentLength() {
        return files.stream().filter(f -> !f.pad()).mapToLong(FileEntry::length).sum();
    }

    /** BEP 5: a DHT node a client can join through, as a .torrent's {@code nodes} lists it ({@code [host, port]}). */
    public record Node(String host, int port) {
    }

    /** The fields a torrent carries around its info dictionary; {@code nodes} is BEP 5's list for trackerless clients. */
    public record Envelope(List<List<String>> announceTiers, List<String> urlList, Optional<String> comment,
                           Optional<String> createdBy, Optional<Instant> creationDate, List<Node> nodes) {

        public Envelope {
            announceTiers = announceTiers.stream().map(List::copyOf).toList();
            urlList = List.copyOf(urlList);
            nodes = List.copyOf(nodes);
        }

        public Envelope(List<List<String>> announceTiers, List<String> urlList, Optional<String> comment,
                        Optional<String> createdBy, Optional<Instant> creationDate) {
            this(announceTiers, urlList, comment, createdBy, creationDate, List.of());
        }
    }

    /**
     * The bencoded .torrent: {@code announce} is the first URL of the first tier; {@code announce-list}
     * (BEP 12) is written when there is more than one URL; {@code url-list} (BEP 19) when there are web seeds;
     * {@code nodes} (BEP 5) when there are DHT nodes.
     */
    public static byte[] encode(BDict info, BDict pieceLayers, Envelope envelope) {
        BDict.Builder torrent = BDict.builder().put("info", info);
        List<String> all = envelope.announceTiers().stream().flatMap(List::stream).toList();
        if (!all.isEmpty()) {
            torrent.put("announce", all.getFirst());
        }
        if (all.size() > 1) {
            torrent.put("announce-list", new BList(envelope.announceTiers().stream()
                    .<BValue>map(tier -> new BList(tier.stream().<BValue>map(BString::of).toList())).toList()));
        }
        if (!envelope.urlList().isEmpty()) {
            torrent.put("url-list", new BList(envelope.urlList().stream().<BValue>map(BString::of).toList()));
        }
        if (!envelope.nodes().isEmpty()) {
            torrent.put("nodes", new BList(envelope.nodes().stream()
                    .<BValue>map(n -> BList.of(BString.of(n.host()), BInteger.of(n.port()))).toList()));
        }
        envelope.comment().ifPresent(c -> torrent.put("comment", c));
        envelope.createdBy().ifPresent(c -> torrent.put("created by", c));
        envelope.creationDate().ifPresent(d -> torrent.put("creation date", d.getEpochSecond()));
        if (pieceLayers.size() > 0) {
            torrent.put("piece layers", pieceLayers);
        }
        return BencodeEncoder.encode(torrent.build());
    }
}
