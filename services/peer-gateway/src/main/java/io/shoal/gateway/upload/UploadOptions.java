package io.shoal.gateway.upload;

import io.shoal.bittorrent.metainfo.MetainfoException;
import io.shoal.bittorrent.metainfo.PieceLengthPolicy;
import io.shoal.bittorrent.metainfo.TorrentFormat;
import io.shoal.events.ArtifactUploadedEvent;
import io.shoal.gateway.api.ApiException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The torrent options of an upload (query parameters): {@code pieceLength} (a power of two, at least
 * 16 KiB; chosen from the size when absent), {@code private} (BEP 27), {@code format} ({@code v1},
 * {@code hybrid}, {@code v2}) and {@code comment}.
 */
public record UploadOptions(OptionalInt pieceLength, boolean privateTorrent, TorrentFormat format, String comment) {

    private static final List<String> KNOWN = List.of("pieceLength", "private", "format", "comment", "name");

    public static UploadOptions parse(Map<String, List<String>> query) throws ApiException {
        for (String key : query.keySet()) {
            if (!KNOWN.contains(key)) {
                throw ApiException.badRequest("unknown parameter '" + key + "' (expected: " + String.join(", ", KNOWN) + ")");
            }
            if (query.get(key).size() > 1) {
                throw ApiException.badRequest("parameter '" + key + "' given " + query.get(key).size() + " times");
            }
        }
        OptionalInt pieceLength = OptionalInt.empty();
        String piece = one(query, "pieceLength");
        if (piece != null) {
            long value;
            try {
                value = Long.parseLong(piece);
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("pieceLength '" + piece + "' is not a number");
            }
            try {
                PieceLengthPolicy.check(value);
            } catch (MetainfoException e) {
                throw ApiException.badRequest(e.getMessage());
            }
            pieceLength = OptionalInt.of((int) value);
        }
        boolean privateTorrent = switch (String.valueOf(one(query, "private"))) {
            case "null", "false", "0" -> false;
            case "true", "1" -> true;
            default -> throw ApiException.badRequest("private '" + one(query, "private") + "' (expected: true or false)");
        };
        TorrentFormat format = TorrentFormat.V1;
        if (one(query, "format") != null) {
            try {
                format = TorrentFormat.parse(one(query, "format"));
            } catch (MetainfoException e) {
                throw ApiException.badRequest(e.getMessage());
            }
        }
        String comment = one(query, "comment");
        Optional<String> commentProblem = ArtifactUploadedEvent.commentProblem(comment);
        if (commentProblem.isPresent()) {
            throw ApiException.badRequest(commentProblem.get());
        }
        return new UploadOptions(pieceLength, privateTorrent, format, comment);
    }

    /** The piece length for {@code size} bytes of content: the one asked for, or the policy's. */
    public int pieceLengthFor(long size) {
        return pieceLength.orElseGet(() -> PieceLengthPolicy.forSize(size));
    }

    private static String one(Map<String, List<String>> query, String key) {
        List<String> values = query.get(key);
        return values == null || values.isEmpty() ? null : values.getFirst();
    }
}
