package io.shoal.tracker.http;

import io.shoal.bittorrent.metainfo.InfoHash;
import io.shoal.bittorrent.tracker.AnnounceRequest;
import io.shoal.bittorrent.tracker.HttpAnnounceParser;
import io.shoal.bittorrent.tracker.HttpTrackerResponses;
import io.shoal.bittorrent.tracker.ScrapeStats;
import io.shoal.bittorrent.tracker.TrackerRequestException;
import io.shoal.tracker.Addresses;
import io.shoal.tracker.Tracker;
import io.shoal.tracker.TrackerMetrics;
import io.shoal.tracker.TrackerMetrics.FailureKind;
import io.shoal.tracker.TrackerMetrics.Protocol;
import io.shoal.tracker.swarm.AddressFamily;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * BEP 3 / BEP 48 over HTTP: {@code GET /announce} and {@code GET /scrape} on the event loop (an announce
 * takes one swarm lock for microseconds and never blocks). Every refusal is HTTP 200 with a bencoded
 * {@code failure reason}, which is what clients read; the query is parsed from its raw bytes.
 */
@ApplicationScoped
public class HttpTracker {

    private static final Logger LOG = Logger.getLogger(HttpTracker.class);
    private static final CharSequence TEXT_PLAIN = HttpHeaders.createOptimized("text/plain");

    private final Tracker tracker;
    private final TrackerMetrics metrics;

    HttpTracker(Tracker tracker, TrackerMetrics metrics) {
        this.tracker = tracker;
        this.metrics = metrics;
    }

    /**
     * A filter ahead of every route, not a route: Vert.x Web's routing decodes the query when it matches
     * routes and answers a malformed escape with a bare 400, but a client must get its failure reason.
     * It is also the shortest way through the server for the tracker's hottest request.
     */
    void register(@Observes Filters filters) {
        filters.register(context -> {
            HttpServerRequest request = context.request();
            if (request.method() == HttpMethod.GET) {
                String path = request.path();
                if ("/announce".equals(path)) {
                    announce(context);
                    return;
                }
                if ("/scrape".equals(path)) {
                    scrape(context);
                    return;
                }
            }
            context.next();
        }, Integer.MAX_VALUE);
    }

    private void announce(RoutingContext context) {
        HttpServerRequest request = context.request();
        AnnounceRequest announce;
        try {
            announce = HttpAnnounceParser.parseAnnounce(request.query());
        } catch (TrackerRequestException e) {
            metrics.failed(Protocol.HTTP, FailureKind.BAD_REQUEST);
            reply(context, HttpTrackerResponses.failure(e.getMessage()));
            return;
        }
        try {
            byte[] source = Addresses.of(request.remoteAddress().hostAddress());
            Tracker.Answer answer = tracker.announce(announce, source, Protocol.HTTP, AddressFamily.ANY, Integer.MAX_VALUE);
            reply(context, announce.compact()
                    ? HttpTrackerResponses.announceCompact(answer.interval(), answer.minInterval(), answer.announced().seeders(),
                            answer.announced().leechers(), answer.announced().downloaded(), answer.compactPeers(false), answer.compactPeers(true),
                            Optional.empty())
                    : HttpTrackerResponses.announce(answer.toResponse(), false, announce.noPeerId()));
        } catch (TrackerRequestException e) {
            reply(context, HttpTrackerResponses.failure(e.getMessage()));
        } catch (RuntimeException e) {
            internalError(context, e);
        }
    }

    private void scrape(RoutingContext context) {
        List<InfoHash> hashes;
        try {
            hashes = HttpAnnounceParser.parseScrape(context.request().query());
        } catch (TrackerRequestException e) {
            metrics.failed(Protocol.HTTP, FailureKind.BAD_REQUEST);
            reply(context, HttpTrackerResponses.failure(e.getMessage()));
            return;
        }
        try {
            List<ScrapeStats> stats = tracker.scrape(hashes, Protocol.HTTP);
            Map<InfoHash, ScrapeStats> files = new LinkedHashMap<>();
            for (int i = 0; i < hashes.size(); i++) {
                if (stats.get(i) != null) {
                    files.put(hashes.get(i), stats.get(i));
                }
            }
            if (files.isEmpty()) {
                throw tracker.refuse(Protocol.HTTP, FailureKind.UNKNOWN_TORRENT,
                        "unknown info_hash: this tracker serves only torrents published by Shoal");
            }
            reply(context, HttpTrackerResponses.scrape(files));
        } catch (TrackerRequestException e) {
            reply(context, HttpTrackerResponses.failure(e.getMessage()));
        } catch (RuntimeException e) {
            internalError(context, e);
        }
    }

    private void internalError(RoutingContext context, RuntimeException e) {
        metrics.failed(Protocol.HTTP, FailureKind.INTERNAL);
        LOG.errorf(e, "answering %s failed", context.request().path());
        reply(context, HttpTrackerResponses.failure("internal tracker error"));
    }

    private static void reply(RoutingContext context, byte[] body) {
        context.response().putHeader(HttpHeaders.CONTENT_TYPE, TEXT_PLAIN).end(Buffer.buffer(body));
    }
}
