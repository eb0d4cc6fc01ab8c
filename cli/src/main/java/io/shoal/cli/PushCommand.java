package io.shoal.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * One file: {@code PUT /api/v1/artifacts/{name}}; several files or a directory: one multi-file artifact,
 * {@code POST /api/v1/artifacts} as multipart/form-data. Streamed from disk either way, with its length known
 * up front (the gateway wants Content-Length).
 */
@Command(name = "push", mixinStandardHelpOptions = true, description = "Uploads files as one artifact and prints its name, infohash, magnet link and .torrent URL.")
final class PushCommand implements Callable<Integer> {

    @ParentCommand
    ShoalCli cli;
    @Parameters(arity = "1..*", paramLabel = "FILE", description = "files; a directory adds every file under it, by its path in it")
    List<Path> files;
    @Option(names = "--name", paramLabel = "NAME", description = "the artifact's name (default: the file's or the directory's name; needed for several)")
    String name;
    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "v1", description = "v1 (default), hybrid or v2")
    String format;
    @Option(names = "--private", description = "a private torrent (BEP 27): peers from the tracker only")
    boolean privateTorrent;

    @Override
    public Integer call() throws Exception {
        if (!List.of("v1", "hybrid", "v2").contains(format)) {
            throw new CliException(CliException.USAGE, "format '" + format + "' (expected: v1, hybrid or v2)");
        }
        Map<String, Path> parts = parts();
        GatewayClient gateway = cli.gateway();
        String token = gateway.settings().requireToken();
        boolean single = parts.size() == 1 && !Files.isDirectory(files.getFirst());
        // unnamed: one file or one directory gives its name; several are named with --name
        String artifact = name != null ? name : files.size() == 1 ? files.getFirst().toAbsolutePath().normalize().getFileName().toString() : null;
        if (artifact == null) {
            throw new CliException(CliException.USAGE, "several files make one artifact: name it with --name");
        }
        String query = "format=" + format + (privateTorrent ? "&private=true" : "");
        HttpRequest.BodyPublisher body;
        HttpRequest.Builder request;
        if (single) {
            body = HttpRequest.BodyPublishers.ofFile(files.getFirst());
            request = gateway.request(gateway.artifactUrl(artifact) + "?" + query);
        } else {
            String boundary = "shoal-" + UUID.randomUUID();
            body = multipart(boundary, artifact, parts);
            request = gateway.request(gateway.settings().gatewayUrl() + "/api/v1/artifacts?" + query)
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary);
        }
        Progress progress = cli.progress("push " + artifact, body.contentLength(), 0);
        HttpRequest built = request.header("Authorization", "Bearer " + token)
                .method(single ? "PUT" : "POST", new CountingPublisher(body, progress)).build();
        HttpResponse<byte[]> response = gateway.send(built, HttpResponse.BodyHandlers.ofByteArray());
        progress.finish();
        if (response.statusCode() >= 300) {
            throw GatewayClient.error(response.statusCode(), response.body());
        }
        JsonNode created = GatewayClient.JSON.readTree(response.body());
        if (response.statusCode() == 202) {
            cli.out.println("stored; metadata is still publishing its torrent: 'shoal info " + artifact + "' shows it once published");
            return 0;
        }
        cli.out.printf("%-9s %s%n", "name", created.path("name").asText());
        cli.out.printf("%-9s %s%n", "infohash", created.path("infoHash").asText(created.path("infoHashV2").asText()));
        cli.out.printf("%-9s %s%n", "magnet", created.path("magnet").asText());
        cli.out.printf("%-9s %s%n", "torrent", created.path("torrentUrl").asText());
        if (response.statusCode() == 200) {
            cli.err.println("(the name already held these bytes with these options: nothing new was stored)");
        }
        return 0;
    }

    /** Each file by the path it gets in the artifact: its name, or its path under a directory given. */
    private Map<String, Path> parts() throws CliException, IOException {
        Map<String, Path> parts = new LinkedHashMap<>();
        for (Path given : files) {
            if (Files.isDirectory(given)) {
                List<Path> under;
                try (Stream<Path> walk = Files.walk(given)) {
                    under = walk.filter(Files::isRegularFile).sorted().toList();
                }
                for (Path file : under) {
                    add(parts, given.relativize(file).toString().replace('\\', '/'), file);
                }
            } else if (Files.isRegularFile(given)) {
                add(parts, given.getFileName().toString(), given);
            } else {
                throw new CliException(CliException.USAGE, given + ": no such file");
            }
        }
        if (parts.isEmpty()) {
            throw new CliException(CliException.USAGE, "no files to push");
        }
        return parts;
    }

    private static void add(Map<String, Path> parts, String path, Path file) throws CliException {
        if (parts.putIfAbsent(path, file) != null) {
            throw new CliException(CliException.USAGE, "two files would be '" + path + "' in the artifact");
        }
    }

    /** The form: the name, then each file as a part whose filename is its path in the artifact. */
    private static HttpRequest.BodyPublisher multipart(String boundary, String name, Map<String, Path> parts) throws CliException {
        List<HttpRequest.BodyPublisher> pieces = new ArrayList<>();
        pieces.add(HttpRequest.BodyPublishers.ofByteArray(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\n"
                + name + "\r\n").getBytes(StandardCharsets.UTF_8)));
        for (Map.Entry<String, Path> part : parts.entrySet()) {
            String path = part.getKey();
            if (path.contains("\"") || path.contains("\r") || path.contains("\n")) {
                throw new CliException(CliException.USAGE, "'" + path + "': quotes and line breaks cannot travel in a form's filename");
            }
            pieces.add(HttpRequest.BodyPublishers.ofByteArray(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; "
                    + "filename=\"" + path + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8)));
            try {
                pieces.add(HttpRequest.BodyPublishers.ofFile(part.getValue()));
            } catch (IOException e) {
                throw new CliException(CliException.USAGE, part.getValue() + ": " + e.getMessage(), e);
            }
            pieces.add(HttpRequest.BodyPublishers.ofByteArray("\r\n".getBytes(StandardCharsets.UTF_8)));
        }
        pieces.add(HttpRequest.BodyPublishers.ofByteArray(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8)));
        return HttpRequest.BodyPublishers.concat(pieces.toArray(HttpRequest.BodyPublisher[]::new));
    }
}
