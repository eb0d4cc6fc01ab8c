package io.shoal.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * Downloads an artifact's files over HTTP from the gateway, where a BitTorrent client would put them (DIR/name
 * for one file, DIR/name/path for several). A file is written to {@code FILE.part} and renamed once its SHA-256
 * matches; an interrupted download resumes from its {@code .part} (a Range request, with If-Range naming the
 * same bytes), a file already there whole is left alone.
 */
@Command(name = "get", mixinStandardHelpOptions = true, description = "Downloads an artifact over HTTP, checking each file's SHA-256; resumes an interrupted download.")
final class GetCommand implements Callable<Integer> {

    private static final int BUFFER = 256 * 1024;

    @ParentCommand
    ShoalCli cli;
    @Parameters(index = "0", paramLabel = "NAME")
    String name;
    @Parameters(index = "1", arity = "0..1", paramLabel = "DIR", defaultValue = ".", description = "where to put it (default: here)")
    Path dir;

    @Override
    public Integer call() throws Exception {
        GatewayClient gateway = cli.gateway();
        JsonNode artifact = gateway.json(gateway.request(gateway.artifactUrl(name)).GET().build());
        JsonNode files = artifact.path("files");
        Path root = dir.toAbsolutePath().normalize();
        Path base = files.size() == 1 && files.get(0).path("path").asText().equals(artifact.path("name").asText())
                ? root : root.resolve(artifact.path("name").asText()).normalize();
        for (JsonNode file : files) {
            Path target = base.resolve(file.path("path").asText()).normalize();
            if (!target.startsWith(root) || target.equals(root)) { // the gateway is trusted no more than anyone
                throw new CliException(CliException.REFUSED, "the gateway names a file outside " + root + ": " + file.path("path").asText());
            }
            fetch(gateway, file, target);
        }
        cli.out.println(files.size() == 1 ? base.resolve(files.get(0).path("path").asText()) : base);
        return 0;
    }

    private void fetch(GatewayClient gateway, JsonNode file, Path target) throws Exception {
        long length = file.path("length").asLong();
        String sha256 = file.path("sha256").asText();
        String label = "get " + file.path("path").asText();
        if (Files.isRegularFile(target) && Files.size(target) == length && sha256(target).equals(sha256)) {
            cli.err.println(label + ": already here");
            return;
        }
        Files.createDirectories(target.getParent());
        Path part = target.resolveSibling(target.getFileName() + ".part");
        long offset = Files.isRegularFile(part) ? Files.size(part) : 0;
        if (offset > length) {
            offset = 0;
        }
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        if (offset > 0) {
            cli.err.println(label + ": resuming at " + Sizes.bytes(offset) + " of " + Sizes.bytes(length));
            digestPrefix(part, offset, digest);
        }
        if (offset < length) {
            var request = gateway.request(file.path("url").asText()).GET();
            if (offset > 0) {
                request.header("Range", "bytes=" + offset + "-").header("If-Range", '"' + sha256 + '"');
            }
            HttpResponse<InputStream> response = gateway.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                if (response.statusCode() == 200 && offset > 0) { // the gateway sends the whole file: start over
                    offset = 0;
                    digest.reset();
                } else if (response.statusCode() != 200 && response.statusCode() != 206) {
                    throw GatewayClient.error(response.statusCode(), in.readAllBytes());
                }
                Progress progress = cli.progress(label, length, offset);
                try (OutputStream out = offset == 0 ? Files.newOutputStream(part)
                        : Files.newOutputStream(part, StandardOpenOption.APPEND)) {
                    byte[] buffer = new byte[BUFFER];
                    for (int n; (n = in.read(buffer)) >= 0; ) {
                        out.write(buffer, 0, n);
                        digest.update(buffer, 0, n);
                        progress.advance(n);
                    }
                }
                progress.finish();
            }
        }
        String got = HexFormat.of().formatHex(digest.digest());
        long size = Files.size(part);
        if (size != length || !got.equals(sha256)) {
            Files.delete(part);
            throw new CliException(CliException.CORRUPT, file.path("path").asText() + ": the bytes received do not match the artifact's SHA-256 (" + got + ", expected " + sha256
                    + "); nothing kept, run it again");
        }
        Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void digestPrefix(Path part, long length, MessageDigest digest) throws IOException {
        try (InputStream in = Files.newInputStream(part)) {
            byte[] buffer = new byte[BUFFER];
            long left = length;
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    break;
                }
                digest.update(buffer, 0, n);
                left -= n;
            }
        }
    }

    private static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        digestPrefix(file, Files.size(file), digest);
        return HexFormat.of().formatHex(digest.digest());
    }
}
