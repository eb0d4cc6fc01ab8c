package io.shoal.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "info", mixinStandardHelpOptions = true, description = "Shows an artifact: hashes, magnet link, .torrent URL and its files' download URLs.")
final class InfoCommand implements Callable<Integer> {

    @ParentCommand
    ShoalCli cli;
    @Parameters(paramLabel = "NAME")
    String name;
    @Option(names = "--json", description = "the gateway's JSON as it is")
    boolean json;

    @Override
    public Integer call() throws Exception {
        GatewayClient gateway = cli.gateway();
        JsonNode artifact = gateway.json(gateway.request(gateway.artifactUrl(name)).GET().build());
        if (json) {
            cli.out.println(GatewayClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(artifact));
            return 0;
        }
        field("name", artifact.path("name").asText());
        field("size", Sizes.bytes(artifact.path("size").asLong()) + " (" + artifact.path("size").asLong() + " bytes)");
        field("sha256", artifact.path("sha256").asText());
        field("format", artifact.path("format").asText() + ", pieces of " + Sizes.bytes(artifact.path("pieceLength").asLong())
                + (artifact.path("private").asBoolean() ? ", private" : ""));
        field("infohash", artifact.path("infoHash").asText(""));
        if (artifact.hasNonNull("infoHashV2")) {
            field("infohash v2", artifact.path("infoHashV2").asText());
        }
        field("created", artifact.path("createdAt").asText());
        field("magnet", artifact.path("magnet").asText());
        field("torrent", artifact.path("torrentUrl").asText());
        for (JsonNode file : artifact.path("files")) {
            cli.out.printf("file         %s  %s  %s%n", file.path("path").asText(), Sizes.bytes(file.path("length").asLong()),
                    file.path("url").asText());
        }
        return 0;
    }

    private void field(String label, String value) {
        cli.out.printf("%-12s %s%n", label, value);
    }
}
