package io.shoal.gateway.catalog;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.shoal.bittorrent.PercentEncoding;
import io.shoal.events.CatalogEntry;
import io.shoal.events.Rollout;
import io.shoal.events.UploadStatus;
import io.shoal.gateway.GatewayConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The metadata service's internal catalog API ({@code /internal/v1}), with the service credential. Anything but
 * an answer is a {@link CatalogUnavailableException}.
 */
@ApplicationScoped
public class MetadataClient {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** Metadata writes times as ISO-8601 (Quarkus' mapper): the rollout's samples and hosts. */
    private static final ObjectMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final String base;
    private final String authorization;

    MetadataClient(GatewayConfig config) {
        this.base = config.metadataUrl().replaceAll("/+$", "") + "/internal/v1";
        this.authorization = "Bearer " + config.metadataToken();
    }

    public Optional<CatalogEntry> artifact(String name) throws CatalogUnavailableException {
        return get("/artifacts/" + PercentEncoding.encode(name), new TypeReference<CatalogEntry>() { });
    }

    /** The rollout view of a published artifact (the fleet ledger); empty when there is no such artifact. */
    public Optional<Rollout> rollout(String name, boolean hosts) throws CatalogUnavailableException {
        return get("/artifacts/" + PercentEncoding.encode(name) + "/rollout?hosts=" + hosts, new TypeReference<Rollout>() { });
    }

    /** Asks for the artifact's pieces to be read into the seeder-workers' caches; empty when there is no such artifact. */
    public Optional<Rollout.Preheat> preheat(String name) throws CatalogUnavailableException {
        HttpResponse<byte[]> response = send(request("/artifacts/" + PercentEncoding.encode(name) + "/preheat")
                .POST(HttpRequest.BodyPublishers.noBody()).build());
        return switch (response.statusCode()) {
            case 202 -> Optional.of(parse(response, new TypeReference<Rollout.Preheat>() { }));
            case 404 -> Optional.empty();
            default -> throw unexpected(response);
        };
    }

    public List<CatalogEntry> search(String query, int limit) throws CatalogUnavailableException {
        return get("/artifacts?q=" + PercentEncoding.encode(query) + "&limit=" + limit,
                new TypeReference<List<CatalogEntry>>() { }).orElse(List.of());
    }

    public UploadStatus upload(String artifactId) throws CatalogUnavailableException {
        return get("/uploads/" + artifactId, new TypeReference<UploadStatus>() { })
                .orElseThrow(() -> new CatalogUnavailableException("the metadata service does not know /uploads", null));
    }

    /** @return whether an artifact of that name was published (and is now retired) */
    public boolean retire(String name) throws CatalogUnavailableException {
        HttpResponse<byte[]> response = send(request("/artifacts/" + PercentEncoding.encode(name)).DELETE().build());
        return switch (response.statusCode()) {
            case 204 -> true;
            case 404 -> false;
            default -> throw unexpected(response);
        };
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT).header("Authorization", authorization);
    }

    private <T> Optional<T> get(String path, TypeReference<T> type) throws CatalogUnavailableException {
        HttpResponse<byte[]> response = send(request(path).GET().build());
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        if (response.statusCode() != 200) {
            throw unexpected(response);
        }
        return Optional.of(parse(response, type));
    }

    private static <T> T parse(HttpResponse<byte[]> response, TypeReference<T> type) throws CatalogUnavailableException {
        try {
            return JSON.readValue(response.body(), type);
        } catch (IOException e) {
            throw new CatalogUnavailableException("the metadata service answered something unreadable", e);
        }
    }

    private HttpResponse<byte[]> send(HttpRequest request) throws CatalogUnavailableException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new CatalogUnavailableException("the metadata service is unreachable (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CatalogUnavailableException("interrupted while asking the metadata service", e);
        }
    }

    private static CatalogUnavailableException unexpected(HttpResponse<byte[]> response) {
        String detail;
        try {
            detail = JSON.readTree(response.body()).path("detail").asText("");
        } catch (IOException e) {
            detail = "";
        }
        return new CatalogUnavailableException("the metadata service answered " + response.statusCode()
                + (detail.isEmpty() ? "" : ": " + detail), null);
    }
}
