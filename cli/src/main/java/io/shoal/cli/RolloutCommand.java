package io.shoal.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Parameters;

@Command(name = "rollout", mixinStandardHelpOptions = true,
        description = "Shows how far an artifact's rollout got: hosts completed, in progress and stalled, bytes delivered, "
                + "origin offload. --watch follows it until no host is in progress (exit 0 when none stalled, 1 when some did).")
final class RolloutCommand implements Callable<Integer> {

    @ParentCommand
    ShoalCli cli;
    @Parameters(paramLabel = "NAME")
    String name;
    @Option(names = "--hosts", description = "list each host: address, client, progress, state, bytes taken and given")
    boolean hosts;
    @Option(names = "--watch", description = "refresh until no host is in progress")
    boolean watch;
    @Option(names = "--interval", paramLabel = "SECONDS", defaultValue = "2", description = "refresh period with --watch (default: 2)")
    int interval;
    @Option(names = "--json", description = "the gateway's JSON as it is")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (interval < 1 || interval > 3600) {
            throw new CliException(CliException.USAGE, "--interval " + interval + " (expected: 1 to 3600 seconds)");
        }
        GatewayClient gateway = cli.gateway();
        URI url = URI.create(gateway.artifactUrl(name) + "/rollout?hosts=" + hosts);
        if (!watch) {
            print(gateway.json(gateway.request(url.toString()).GET().build()));
            return 0;
        }
        String last = "";
        while (true) {
            JsonNode rollout = gateway.json(gateway.request(url.toString()).GET().build());
            String line = line(rollout);
            cli.status(line, last);
            last = line;
            int inProgress = rollout.path("hostsInProgress").asInt();
            int completed = rollout.path("hostsCompleted").asInt();
            int stalled = rollout.path("hostsStalled").asInt();
            if (inProgress == 0 && completed + stalled > 0) {
                cli.statusDone();
                print(rollout);
                return stalled == 0 ? 0 : CliException.FAILED;
            }
            Thread.sleep(interval * 1000L);
        }
    }

    /** One line of status: what --watch redraws. */
    static String line(JsonNode rollout) {
        int completed = rollout.path("hostsCompleted").asInt();
        int known = completed + rollout.path("hostsInProgress").asInt() + rollout.path("hostsStalled").asInt();
        return String.format(Locale.ROOT, "rollout %s: %d/%d hosts completed, %d in progress, %d stalled; %s delivered, offload %s",
                rollout.path("name").asText(), completed, known, rollout.path("hostsInProgress").asInt(),
                rollout.path("hostsStalled").asInt(), Sizes.bytes(rollout.path("bytesDelivered").asLong()), offload(rollout));
    }

    private void print(JsonNode rollout) throws Exception {
        if (json) {
            cli.out.println(GatewayClient.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(rollout));
            return;
        }
        int completed = rollout.path("hostsCompleted").asInt();
        int inProgress = rollout.path("hostsInProgress").asInt();
        int stalled = rollout.path("hostsStalled").asInt();
        cli.out.printf("rollout    %s%n", rollout.path("name").asText());
        cli.out.printf("hosts      %d completed, %d in progress, %d stalled%n", completed, inProgress, stalled);
        cli.out.printf("delivered  %s to hosts; seeder-workers served %s; origin offload %s%n",
                Sizes.bytes(rollout.path("bytesDelivered").asLong()), Sizes.bytes(rollout.path("bytesServedBySeeders").asLong()),
                offload(rollout));
        if (rollout.has("preheat")) {
            cli.out.printf("preheat    %s%n", PreheatCommand.line(rollout.path("name").asText(), rollout.path("preheat"))
                    .substring(("preheat of " + rollout.path("name").asText() + ": ").length()));
        }
        if (hosts) {
            cli.out.printf("%-24s %-10s %8s  %-11s %10s %10s%n", "HOST", "CLIENT", "PROGRESS", "STATE", "TOOK", "GAVE");
            for (JsonNode host : rollout.path("hosts")) {
                cli.out.printf(Locale.ROOT, "%-24s %-10s %7.0f%%  %-11s %10s %10s%n", host.path("endpoint").asText(),
                        host.path("client").asText(), host.path("progress").asDouble() * 100, host.path("state").asText(),
                        Sizes.bytes(host.path("downloaded").asLong()), Sizes.bytes(host.path("uploaded").asLong()));
            }
        }
    }

    private static String offload(JsonNode rollout) {
        return rollout.hasNonNull("originOffload")
                ? String.format(Locale.ROOT, "%.0f%%", rollout.path("originOffload").asDouble() * 100) : "-";
    }
}
