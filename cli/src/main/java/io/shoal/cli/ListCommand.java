package io.shoal.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "ls", mixinStandardHelpOptions = true, description = "Lists published artifacts, those whose name contains QUERY if given.")
final class ListCommand implements Callable<Integer> {

    @ParentCommand
    ShoalCli cli;
    @Parameters(arity = "0..1", paramLabel = "QUERY", defaultValue = "")
    String query;
    @Option(names = "--limit", defaultValue = "100", description = "at most this many (1 to 1000)")
    int limit;

    @Override
    public Integer call() throws CliException {
        GatewayClient gateway = cli.gateway();
        JsonNode list = gateway.json(gateway.request(gateway.settings().gatewayUrl() + "/api/v1/artifacts?q="
                + GatewayClient.encode(query) + "&limit=" + limit).GET().build());
        if (list.isEmpty()) {
            cli.err.println(query.isEmpty() ? "no artifacts" : "no artifact's name contains '" + query + "'");
            return 0;
        }
        int width = 4;
        for (JsonNode a : list) {
            width = Math.max(width, a.path("name").asText().length());
        }
        cli.out.printf("%-" + width + "s  %10s  %-6s  %s%n", "NAME", "SIZE", "FORMAT", "CREATED");
        for (JsonNode a : list) {
            cli.out.printf("%-" + width + "s  %10s  %-6s  %s%n", a.path("name").asText(), Sizes.bytes(a.path("size").asLong()),
                    a.path("format").asText(), a.path("createdAt").asText());
        }
        return 0;
    }
}
