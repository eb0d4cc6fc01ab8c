package io.shoal.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The gateway's REST API: an error answer becomes a {@link CliException} with the gateway's detail. */
final class GatewayClient {

    static final ObjectMapper JSON = new ObjectMapper();

    private final Settings settings;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NORMAL).build();

    GatewayClient(Settings settings) {
        this.settings = settings;
    }

    Settings settings() {
        return settings;
    }

    /** {@code /api/v1/artifacts/{name}} as a URL. */
    String artifactUrl(String name) {
        return settings.gatewayUrl() + "/api/v1/artifacts/" + encode(name);
    }

    static String encode(String component) {
        return URLEncoder.encode(component, StandardCharsets.UTF_8).replace("+", "%20");
    }

    HttpRequest.Builder request(String url) {
        return HttpRequest.newBuilder(URI.create(url));
    }

    HttpRequest.Builder authorized(String url) throws CliException {
        return request(url).header("Authorization", "Bearer " + settings.requireToken());
    }

    JsonNode json(HttpRequest request) throws CliException {
        HttpResponse<byte[]> response = send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() >= 300) {
            throw error(response.statusCode(), response.body());
        }
        try {
            return response.body().length == 0 ? JSON.createObjectNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new CliException(CliException.FAILED, "the gateway answered something that is not JSON", e);
        }
    }

    <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body) throws CliException {
        try {
            return http.send(request, body);
        } catch (IOException e) {
            throw new CliException(CliException.FAILED, "cannot reach the gateway at " + settings.gatewayUrl() + " ("
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(CliException.FAILED, "interrupted", e);
        }
    }

    /** The gateway's {@code {"error", "detail"}} as a failure with the exit code its status means. */
    static CliException error(int status, byte[] body) {
        String detail;
        try {
            detail = JSON.readTree(body).path("detail").asText("");
        } catch (IOException | RuntimeException e) {
            detail = "";
        }
        return new CliException(CliException.forStatus(status), "the gateway answered " + status + (detail.isEmpty() ? "" : ": " + detail));
    }
}
