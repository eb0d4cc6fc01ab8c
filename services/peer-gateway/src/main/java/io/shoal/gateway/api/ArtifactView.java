package io.shoal.gateway.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.shoal.bittorrent.PercentEncoding;
import io.shoal.bittorrent.magnet.MagnetUri;
import io.shoal.bittorrent.metainfo.InfoHash;
import io.shoal.events.CatalogEntry;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** An artifact as users see it (REST contract): what it is, and how to fetch it with a BitTorrent client. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ArtifactView(String name, long size, String sha256, String infoHash, String infoHashV2, String magnet,
                           String torrentUrl, String format, int pieceLength,
                           @JsonProperty("private") boolean privateTorrent, String comment, List<FileView> files,
                           Instant createdAt) {

    /** A file, and where to download it over HTTP. */
    public record FileView(String path, long length, String sha256, String url) {
    }

    public static ArtifactView of(CatalogEntry entry, String publicUrl) {
        MagnetUri magnet = new MagnetUri(
                Optional.ofNullable(entry.infoHash()).map(InfoHash::fromHex),
                Optional.ofNullable(entry.infoHashV2()).map(InfoHash::fromHex),
                Optional.of(entry.name()), entry.trackers(), List.of(), OptionalLong.of(entry.size()), List.of());
        return new ArtifactView(entry.name(), entry.size(), entry.sha256(), entry.infoHash(), entry.infoHashV2(),
                magnet.toUri(), artifactUrl(publicUrl, entry.name()) + "/torrent", entry.format(), entry.pieceLength(),
                entry.privateTorrent(), entry.comment(),
                entry.files().stream().map(f -> new FileView(String.join("/", f.path()), f.length(), f.sha256(),
                        fileUrl(publicUrl, entry.name(), f.path()))).toList(),
                Instant.ofEpochMilli(entry.createdAtMillis()));
    }

    /** Where a file downloads over HTTP: {@code path} as the artifact lists it, each component encoded. */
    static String fileUrl(String publicUrl, String name, List<String> path) {
        return artifactUrl(publicUrl, name) + "/files/" + String.join("/", path.stream().map(PercentEncoding::encode).toList());
    }

    public static String artifactUrl(String publicUrl, String name) {
        return publicUrl.replaceAll("/+$", "") + "/api/v1/artifacts/" + PercentEncoding.encode(name);
    }
}
