package io.shoal.gateway.download;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.shoal.events.CatalogEntry;
import io.shoal.events.CatalogEntry.CatalogFile;
import io.shoal.events.TorrentPublishedEvent;
import io.shoal.gateway.GatewayConfig;
import io.shoal.gateway.api.ApiError;
import io.shoal.gateway.api.ApiException;
import io.shoal.gateway.api.ArtifactResource;
import io.shoal.gateway.catalog.CatalogUnavailableException;
import io.shoal.gateway.catalog.MetadataClient;
import io.shoal.gateway.catalog.SeederPresence;
import io.shoal.objectstore.BlobStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * An artifact's files over plain HTTP, streamed from the object store: single ranges (206, 416), the file's
 * SHA-256 as its ETag ({@code If-None-Match}, {@code If-Range}), HEAD; nothing held in memory beyond a copy
 * buffer. Reads are open to everyone, like the .torrent. Two routes lead here: {@link FileResource} (a file by
 * the path the artifact lists) and {@link WebSeedResource} (BEP 19, the URL in every .torrent's url-list).
 */
@ApplicationScoped
public class ArtifactFiles {

    private static final Logger LOG = Logger.getLogger(ArtifactFiles.class);
    private static final int COPY_BUFFER = 256 * 1024;

    /** Which route a download came by, for the bytes counter. */
    enum Route { FILES, WEB_SEED }

    private final MetadataClient metadata;
    private final BlobStore blobs;
    private final SeederPresence seeders;
    private final boolean yieldToSeeders;
    private final Map<Route, Counter> sent = new EnumMap<>(Route.class);
    private final Counter yielded;

    ArtifactFiles(MetadataClient metadata, BlobStore blobs, SeederPresence seeders, GatewayConfig config, MeterRegistry registry) {
        this.metadata = metadata;
        this.blobs = blobs;
        this.seeders = seeders;
        this.yieldToSeeders = config.webSeed().yieldToSeeders();
        this.yielded = Counter.builder("shoal.gateway.web.seed.yielded")
                .description("web-seed requests answered 503 because a seeder-worker seeds the torrent").register(registry);
        for (Route route : Route.values()) {
            sent.put(route, Counter.builder("shoal.gateway.download.bytes").tag("route", route.name().toLowerCase(Locale.ROOT))
                    .description("file bytes sent over HTTP, by route (files: downloads, web_seed: BEP 19 clients)")
                    .baseUnit("bytes").register(registry));
        }
    }

    /** {@code path} as the artifact lists it (the name itself for a one-file artifact). */
    Response file(String name, String path, Request request) throws ApiException, CatalogUnavailableException {
        CatalogEntry entry = ArtifactResource.published(metadata, name);
        return send(entry, fileAt(entry, components(path)), request, sent.get(Route.FILES));
    }

    /** BEP 19: the torrent's name alone names a one-file torrent's file; name/path one of a multi-file torrent's. */
    Response webSeed(String path, Request request) throws ApiException, CatalogUnavailableException {
        List<String> components = components(path);
        CatalogEntry entry = ArtifactResource.published(metadata, components.getFirst());
        CatalogFile file = entry.singleFile() ? fileAt(entry, components) : fileAt(entry, components.subList(1, components.size()));
        if (yieldToSeeders && swarmServes(entry)) {
            yielded.increment();
            long retry = Math.max(1, seeders.ttl().toSeconds());
            return Response.status(503).header("Retry-After", retry).type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(ApiError.of(503, "seeder-workers seed '" + entry.name() + "': take it from the swarm (the web seed "
                            + "serves it when no worker has for " + retry + " s)")).build();
        }
        return send(entry, file, request, sent.get(Route.WEB_SEED));
    }

    /**
     * Whether a seeder-worker seeds the torrent: it said so within the TTL, or the torrent is younger than that
     * while workers are alive (a worker names a torrent only in its next stats record after loading it, and
     * the first hosts of a rollout arrive at once).
     */
    private boolean swarmServes(CatalogEntry entry) {
        if (seeders.seeded(TorrentPublishedEvent.swarmKey(entry.infoHash(), entry.infoHashV2()))) {
            return true;
        }
        return seeders.workersAlive() && System.currentTimeMillis() - entry.createdAtMillis() < seeders.ttl().toMillis();
    }

    /** The headers that decide what is sent, and whether a body is. */
    record Request(String range, String ifNoneMatch, String ifRange, boolean body) {
    }

    private static List<String> components(String path) {
        return Arrays.asList(path.split("/", -1));
    }

    private static CatalogFile fileAt(CatalogEntry entry, List<String> path) throws ApiException {
        return entry.files().stream().filter(f -> f.path().equals(path)).findFirst()
                .orElseThrow(() -> new ApiException(404, "'" + entry.name() + "' has no file '" + String.join("/", path) + "'"));
    }

    private Response send(CatalogEntry entry, CatalogFile file, Request request, Counter sent) throws ApiException {
        if (file.objectKey() == null) {
            throw ApiException.unavailable("the metadata service did not say where '" + entry.name() + "' is stored", null);
        }
        String etag = '"' + file.sha256() + '"';
        if (request.ifNoneMatch() != null && matches(request.ifNoneMatch(), etag)) {
            return Response.notModified().header(HttpHeaders.ETAG, etag).header("Accept-Ranges", "bytes").build();
        }
        long size = file.length();
        Optional<ByteRange> range;
        try {
            // If-Range naming other bytes than these: the whole file, not a range of something else
            range = request.ifRange() == null || request.ifRange().strip().equals(etag)
                    ? ByteRange.parse(request.range(), size) : Optional.empty();
        } catch (ByteRange.Unsatisfiable e) {
            return Response.status(416).header("Content-Range", "bytes */" + size).header(HttpHeaders.ETAG, etag)
                    .header("Accept-Ranges", "bytes").type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(ApiError.of(416, e.getMessage())).build();
        }
        long first = range.map(ByteRange::first).orElse(0L);
        long length = range.map(ByteRange::length).orElse(size);
        Response.ResponseBuilder response = Response.status(range.isPresent() ? 206 : 200)
                .type(MediaType.APPLICATION_OCTET_STREAM_TYPE)
                .header(HttpHeaders.ETAG, etag)
                .header("Accept-Ranges", "bytes")
                .header(HttpHeaders.CONTENT_LENGTH, length)
                .header(HttpHeaders.CONTENT_DISPOSITION, ArtifactResource.attachment(file.path().getLast()));
        range.ifPresent(r -> response.header("Content-Range", r.contentRange(size)));
        if (!request.body() || length == 0) {
            return response.build();
        }
        InputStream in = open(entry, file, first, length);
        return response.entity((StreamingOutput) out -> copy(in, out, length, entry, sent)).build();
    }

    private InputStream open(CatalogEntry entry, CatalogFile file, long first, long length) throws ApiException {
        try {
            return blobs.open(file.objectKey(), first, length).orElseThrow(() -> ApiException.unavailable(
                    "the bytes of '" + entry.name() + "' are not in the store", null));
        } catch (IOException e) {
            throw ApiException.unavailable("the object store failed: " + e.getMessage(), e);
        }
    }

    private static void copy(InputStream in, OutputStream out, long length, CatalogEntry entry, Counter sent) throws IOException {
        byte[] buffer = new byte[COPY_BUFFER];
        long left = length;
        try (in) {
            while (left > 0) {
                // whole buffers: the store's stream hands out a few KiB a read, and each write to the response costs
                int n = in.readNBytes(buffer, 0, (int) Math.min(buffer.length, left));
                if (n == 0) {
                    LOG.warnf("the store ended '%s' %d bytes early; the response is cut short", entry.name(), left);
                    throw new IOException("the store ended " + left + " bytes early");
                }
                out.write(buffer, 0, n);
                sent.increment(n);
                left -= n;
            }
        }
    }

    /** {@code If-None-Match}: a list of entity tags (weak ones compared weakly), or {@code *}. */
    private static boolean matches(String header, String etag) {
        for (String tag : header.split(",")) {
            String t = tag.strip();
            if (t.equals("*") || t.equals(etag) || t.equals("W/" + etag)) {
                return true;
            }
        }
        return false;
    }
}
