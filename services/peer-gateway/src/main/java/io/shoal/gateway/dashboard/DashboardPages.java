package io.shoal.gateway.dashboard;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.shoal.bittorrent.PercentEncoding;
import io.shoal.events.CatalogEntry;
import io.shoal.events.Rollout;
import io.shoal.gateway.GatewayConfig;
import io.shoal.gateway.api.ApiException;
import io.shoal.gateway.api.ArtifactResource;
import io.shoal.gateway.api.ArtifactView;
import io.shoal.gateway.api.SeederView;
import io.shoal.gateway.api.SwarmView;
import io.shoal.gateway.catalog.CatalogUnavailableException;
import io.shoal.gateway.catalog.MetadataClient;
import io.shoal.gateway.catalog.SeederBoard;
import io.shoal.gateway.catalog.TrackerScrape;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * The dashboard: server-rendered pages that read without JavaScript (the artifact list and search, an artifact with
 * its swarm and throughput, the seeder-workers); {@code /dashboard/shoal.js} adds the drag-and-drop upload, copy
 * buttons and a swarm panel that refreshes itself. Reads are open, like the REST API's; an upload needs the token,
 * which the page keeps in the tab's sessionStorage (never a cookie).
 */
@Path("/")
@Produces("text/html; charset=utf-8")
@Blocking
public class DashboardPages {

    private static final Logger LOG = Logger.getLogger(DashboardPages.class);
    static final int LIST_LIMIT = 200;
    /**
     * Scripts, styles and fetches from the gateway only; no inline script or style, no framing. The token the upload
     * form holds can only go back to this origin.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

    @CheckedTemplate(basePath = "dashboard")
    static class Templates {
        static native TemplateInstance index(String query, List<Row> artifacts, int limit);

        static native TemplateInstance artifact(ArtifactView artifact, String href, Panel panel);

        static native TemplateInstance swarm(ArtifactView artifact, String href, Panel panel);

        static native TemplateInstance seeders(List<SeederView> seeders);

        static native TemplateInstance problem(int status, String detail);
    }

    /**
     * The live part of an artifact's page: the swarm now with its throughput plot, and the rollout (null with the
     * reason when metadata could not say) with a plot of hosts completed over its history and its most recent hosts.
     */
    public record Panel(SwarmView swarm, String plot, Rollout rollout, String rolloutPlot, List<Rollout.Host> hosts,
                        String rolloutProblem) {

        /** Whether the rollout knows more hosts than the page lists. */
        public boolean moreHosts() {
            return rollout != null && rollout.hostsCompleted() + rollout.hostsInProgress() + rollout.hostsStalled() > hosts.size();
        }
    }

    static final int HOSTS_SHOWN = 50;

    /** One line of the artifact list. */
    public record Row(String name, String href, long size, String format, int files, boolean privateTorrent, Instant createdAt) {

        static Row of(CatalogEntry entry) {
            return new Row(entry.name(), DashboardPages.href(entry.name()), entry.size(), entry.format(), entry.files().size(),
                    entry.privateTorrent(), Instant.ofEpochMilli(entry.createdAtMillis()));
        }
    }

    private final MetadataClient metadata;
    private final GatewayConfig config;
    private final TrackerScrape scrape;
    private final SeederBoard board;

    DashboardPages(MetadataClient metadata, GatewayConfig config, TrackerScrape scrape, SeederBoard board) {
        this.metadata = metadata;
        this.config = config;
        this.scrape = scrape;
        this.board = board;
    }

    @GET
    public Response index(@QueryParam("q") @DefaultValue("") String query) {
        if (query.length() > ArtifactResource.MAX_QUERY_LENGTH) {
            return problem(400, "a search of " + query.length() + " characters (at most " + ArtifactResource.MAX_QUERY_LENGTH + ")");
        }
        try {
            List<Row> rows = metadata.search(query, LIST_LIMIT).stream().map(Row::of).toList();
            return page(200, Templates.index(query, rows, LIST_LIMIT));
        } catch (CatalogUnavailableException e) {
            return unavailable(e);
        }
    }

    @GET
    @Path("artifacts/{name}")
    public Response artifact(@PathParam("name") String name) {
        return withArtifact(name, (view, panel) -> Templates.artifact(view, href(view.name()), panel));
    }

    /** The swarm panel alone: what the artifact page's script swaps in every few seconds. */
    @GET
    @Path("artifacts/{name}/swarm")
    public Response swarm(@PathParam("name") String name) {
        return withArtifact(name, (view, panel) -> Templates.swarm(view, href(view.name()), panel));
    }

    @GET
    @Path("seeders")
    public Response seeders() {
        return page(200, Templates.seeders(board.workers().stream().map(SeederView::of).toList()));
    }

    private interface ArtifactPage {
        TemplateInstance render(ArtifactView view, Panel panel);
    }

    private Response withArtifact(String name, ArtifactPage page) {
        try {
            CatalogEntry entry = ArtifactResource.published(metadata, name);
            return page(200, page.render(ArtifactView.of(entry, config.publicUrl()), panel(entry)));
        } catch (ApiException e) {
            return problem(e.status(), e.getMessage());
        } catch (CatalogUnavailableException e) {
            return unavailable(e);
        }
    }

    private Panel panel(CatalogEntry entry) {
        SwarmView swarm = SwarmView.of(entry, scrape, board);
        String plot = SvgPlot.throughput(swarm.throughput(), SeederBoard.BUCKET);
        try {
            Rollout rollout = metadata.rollout(entry.name(), true).orElse(null);
            if (rollout == null) {
                return new Panel(swarm, plot, null, null, List.of(), "the artifact was retired");
            }
            List<Rollout.Sample> history = rollout.history();
            String span = history.size() < 2 ? "" : Formats.duration(java.time.Duration.between(history.getFirst().at(), history.getLast().at()));
            String hostsPlot = SvgPlot.svg(history.stream().map(h -> (double) h.completed()).toList(), span, "Hosts that completed",
                    v -> String.format(java.util.Locale.ROOT, "%.0f hosts", v));
            List<Rollout.Host> hosts = rollout.hosts() == null ? List.of() : rollout.hosts().stream().limit(HOSTS_SHOWN).toList();
            return new Panel(swarm, plot, rollout, hostsPlot, hosts, null);
        } catch (CatalogUnavailableException e) {
            return new Panel(swarm, plot, null, null, List.of(), "metadata did not answer: " + e.getMessage());
        }
    }

    private Response unavailable(CatalogUnavailableException e) {
        LOG.warnf("dashboard: %s", e.getMessage());
        return problem(503, "the catalog is unavailable right now; try again shortly");
    }

    private static Response problem(int status, String detail) {
        return page(status, Templates.problem(status, detail));
    }

    private static Response page(int status, TemplateInstance template) {
        return Response.status(status).entity(template.render())
                .header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "same-origin")
                .header("Cache-Control", "no-store")
                .build();
    }

    /** The artifact's page, relative to the gateway's root. */
    static String href(String name) {
        return "/artifacts/" + PercentEncoding.encode(name);
    }
}
