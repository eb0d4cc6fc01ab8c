package io.shoal.gateway.catalog;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.shoal.bittorrent.PercentEncoding;
import io.shoal.events.CatalogEntry;
import io.shoal.events.UploadStatus;
import io.shoal.gateway.GatewayConfig;
import io.shoal.gateway.api.ApiException;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The metadata service's internal catalog API ({@code /internal/v1}). Failures to reach it are 503s. */
@ApplicationScoped
public class MetadataClient {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final String base;

    MetadataClient(GatewayConfig config) {
        this.base = config.metadataUrl().replaceAll("/+$", "") + "/internal/v1";
    }

    public Optional<CatalogEntry> artifact(String name) throws ApiException {
        return get("/artifacts/" + PercentEncoding.encode(name), new TypeReference<CatalogEntry>() { });
    }

    public List<CatalogEntry> search(String query, int limit) throws ApiException {
        return get("/artifacts?q=" + PercentEncoding.encode(query) + "&limit=" + limit,
                new TypeReference<List<CatalogEntry>>() { }).orElse(List.of());
    }

    public Optional<CatalogEntry.StoredContent> content(String sha256) throws ApiException {
        return get("/contents/" + sha256, new TypeReference<CatalogEntry.StoredContent>() { });
    }

    public Optional<UploadStatus> upload(String artifactId) throws ApiException {
        return get("/uploads/" + artifactId, new TypeReference<UploadStatus>() { });
    }

    /** @return whether an artifact of that name was published (and is now retired) */
    public boolean retire(String name) throws ApiException {
        HttpResponse<byte[]> response = send(HttpRequest.newBuilder(URI.create(base + "/artifacts/" + PercentEncoding.encode(name)))
                .timeout(TIMEOUT).DELETE().build());
        return switch (response.statusCode()) {
            case 204 -> true;
            case 404 -> false;
            default -> throw unexpected(response);
        };
    }

    private <T> Optional<T> get(String path, TypeReference<T> type) throws ApiException {
        HttpResponse<byte[]> response = send(HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT).GET().build());
        if (response.statusCode() == 404) {
            return Optional.empty();
        }
        if (response.statusCode() == 400) {
            throw ApiException.badRequest(detail(response));
        }
        if (response.statusCode() != 200) {
            throw unexpected(response);
        }
        try {
            return Optional.of(JSON.readValue(response.body(), type));
        } catch (IOException e) {
            throw ApiException.unavailable("the metadata service answered something unreadable", e);
        }
    }

    private HttpResponse<byte[]> send(HttpRequest request) throws ApiException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw ApiException.unavailable("the metadata service is unreachable (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("interrupted while asking the metadata service", e);
        }
    }

    private static ApiException unexpected(HttpResponse<byte[]> response) {
        return ApiException.unavailable("the metadata service answered " + response.statusCode() + ": " + detail(response), null);
    }

    private static String detail(HttpResponse<byte[]> response) {
        try {
            return JSON.readTree(response.body()).path("detail").asText("");
        } catch (IOException e) {
            return "";
        }
    }

}
