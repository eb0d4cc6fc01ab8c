package io.shoal.bittorrent.dht;

import io.shoal.bittorrent.bencode.BDict;
import io.shoal.bittorrent.bencode.BString;
import io.shoal.bittorrent.bencode.BencodeDecoder;
import io.shoal.bittorrent.bencode.BencodeEncoder;
import io.shoal.bittorrent.bencode.BencodeException;
import io.shoal.bittorrent.bencode.BencodeLimits;
import io.shoal.bittorrent.dht.KrpcMessage.NodeInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/**
 * A node's id and routing table across restarts: {@code d2:id20:...5:nodes<26 bytes a node>e}, BEP 5's compact node
 * info. Written to a temporary file and moved into place, so a crash leaves the old file or the new one.
 */
public final class RoutingTableFile {

    public record Saved(NodeId id, List<NodeInfo> nodes) {
        public Saved {
            nodes = List.copyOf(nodes);
        }
    }

    private static final BencodeLimits LIMITS = new BencodeLimits(2, 64 * 1024, 8);

    private RoutingTableFile() {
    }

    public static void save(Path file, NodeId id, List<NodeInfo> nodes) throws IOException {
        byte[] bytes = BencodeEncoder.encode(BDict.builder().put("id", id.bytes()).put("nodes", KrpcCodec.compactNodes(nodes)).build());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The saved id and nodes; empty when there is no file or it is not one of ours (a warning for the caller). */
    public static Optional<Saved> load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            BDict dict = BencodeDecoder.decodeDict(Files.readAllBytes(file), LIMITS);
            if (!(dict.get("id").orElse(null) instanceof BString id) || id.length() != NodeId.LENGTH
                    || !(dict.get("nodes").orElse(null) instanceof BString nodes) || nodes.length() % 26 != 0) {
                return Optional.empty();
            }
            return Optional.of(new Saved(NodeId.of(id.bytes()), KrpcCodec.parseCompactNodes(nodes.bytes())));
        } catch (BencodeException e) {
            return Optional.empty();
        }
    }
}
