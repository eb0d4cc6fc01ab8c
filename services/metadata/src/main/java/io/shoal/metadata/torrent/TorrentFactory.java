package io.shoal.metadata.torrent;

import io.shoal.bittorrent.bencode.BDict;
import io.shoal.bittorrent.bencode.BencodeEncoder;
import io.shoal.bittorrent.hashing.PieceHashes;
import io.shoal.bittorrent.metainfo.FileEntry;
import io.shoal.bittorrent.metainfo.InfoDictionary;
import io.shoal.bittorrent.metainfo.InfoHash;
import io.shoal.bittorrent.metainfo.Metainfo;
import io.shoal.bittorrent.metainfo.MetainfoException;
import io.shoal.bittorrent.metainfo.TorrentFormat;
import io.shoal.bittorrent.metainfo.TorrentLayout;
import io.shoal.events.ArtifactUploadedEvent;
import io.shoal.events.StoredFile;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Turns an upload's description and piece hashes into a .torrent file. Checks the event as hostile input. */
public final class TorrentFactory {


    private TorrentFactory() {
    }

    /** A built .torrent and its info-hashes (v1 absent for v2-only, v2 absent for v1). */
    public record Built(byte[] torrent, Optional<InfoHash> v1, Optional<InfoHash> v2) {
    }

    /**
     * The layout the event describes, checked: names and paths, the format, the piece length, sizes that
     * add up, and files listed in the order the torrent hashes them (the order the gateway hashed them in).
     */
    public static TorrentLayout layout(ArtifactUploadedEvent event) throws MetainfoException {
        TorrentFormat format = TorrentFormat.parse(event.format());
        if (event.files().isEmpty()) {
            throw new MetainfoException("an artifact with no files");
        }
        long total = 0;
        for (StoredFile file : event.files()) {
            if (!StoredFile.isSha256Hex(file.sha256())) {
                throw new MetainfoException("file sha256 '" + file.sha256() + "' (expected: 64 lowercase hex digits)");
            }
            if (file.length() > Long.MAX_VALUE - total) {
                throw new MetainfoException("file lengths that add up past " + Long.MAX_VALUE);
            }
            total += file.length();
        }
        if (total != event.size()) {
            throw new MetainfoException("files add up to " + total + " bytes, not the " + event.size() + " announced");
        }
        if (!StoredFile.isSha256Hex(event.sha256())) {
            throw new MetainfoException("sha256 '" + event.sha256() + "' (expected: 64 lowercase hex digits)");
        }
        TorrentLayout layout;
        if (event.singleFile()) {
            if (event.files().size() != 1 || !event.files().getFirst().path().equals(List.of(event.name()))) {
                throw new MetainfoException("a single-file artifact has one file named after it");
            }
            layout = TorrentLayout.singleFile(event.name(), event.size(), event.pieceLength(), format);
        } else {
            List<FileEntry> files = new ArrayList<>();
            for (StoredFile file : event.files()) {
                files.add(new FileEntry(file.path(), file.length(), false));
            }
            layout = TorrentLayout.multiFile(event.name(), files, event.pieceLength(), format);
            List<List<String>> ordered = layout.contentFiles().stream().map(FileEntry::path).toList();
            if (!ordered.equals(event.files().stream().map(StoredFile::path).toList())) {
                throw new MetainfoException("files are not in torrent order");
            }
        }
        return layout;
    }

    public static Built build(TorrentLayout layout, PieceHashes hashes, boolean privateTorrent, Metainfo.Envelope envelope) {
        return build(layout, hashes, privateTorrent, List.of(), envelope);
    }

    /** The same, naming {@code similar} torrents (BEP 38). */
    public static Built build(TorrentLayout layout, PieceHashes hashes, boolean privateTorrent, List<InfoHash> similar,
                              Metainfo.Envelope envelope) {
        BDict info = InfoDictionary.build(layout, hashes, privateTorrent, similar);
        BDict pieceLayers = layout.format().hasV2() ? InfoDictionary.pieceLayers(hashes) : BDict.builder().build();
        byte[] infoBytes = BencodeEncoder.encode(info);
        byte[] torrent = Metainfo.encode(info, pieceLayers, envelope);
        return new Built(torrent,
                layout.format().hasV1() ? Optional.of(InfoHash.v1Of(infoBytes)) : Optional.empty(),
                layout.format().hasV2() ? Optional.of(InfoHash.v2Of(infoBytes)) : Optional.empty());
    }

}
