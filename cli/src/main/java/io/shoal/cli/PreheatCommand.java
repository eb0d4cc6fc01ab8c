package io.shoal.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "preheat", mixinStandardHelpOptions = true,
        description = "Reads an artifact's pieces into the seeder-workers' caches before hosts ask (before a rollout). --wait "
                + "follows it until it ends (exit 0 when done, or partial: the cache holds only part; 1 when pieces failed or "
                + "time ran out).")
final class PreheatCommand implements Callable<Integer> {

    private static final Set<String> ENDED = Set.of("done", "partial", "failed");

    @ParentCommand
    ShoalCli cli;
    @Parameters(paramLabel = "NAME")
    String name;
    @Option(names = "--wait", description = "wait until the worker has read every piece it wants")
    boolean await;
    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "600", description = "give up waiting after this long (default: 600)")
    int timeout;

    @Override
    public Integer call() throws Exception {
        if (timeout < 1) {
            throw new CliException(CliException.USAGE, "--timeout " + timeout + " (expected: >= 1 second)");
        }
        GatewayClient gateway = cli.gateway();
        JsonNode preheat = gateway.json(gateway.authorized(gateway.artifactUrl(name) + "/preheat")
                .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build());
        cli.out.println("preheat of " + name + " requested at " + preheat.path("requestedAt").asText());
        if (!await) {
            return 0;
        }
        long deadline = System.currentTimeMillis() + timeout * 1000L;
        String last = "";
        while (true) {
            preheat = gateway.json(gateway.request(gateway.artifactUrl(name) + "/rollout").GET().build()).path("preheat");
            String line = line(name, preheat);
            cli.status(line, last);
            last = line;
            String state = preheat.path("state").asText();
            if (ENDED.contains(state) || System.currentTimeMillis() > deadline) {
                cli.statusDone();
                cli.out.println(line);
                return state.equals("done") || state.equals("partial") ? 0 : CliException.FAILED;
            }
            Thread.sleep(1000);
        }
    }

    /** "preheat of NAME: running, 96.0 MiB of 256.0 MiB in the cache" (what --wait and rollout print). */
    static String line(String name, JsonNode preheat) {
        StringBuilder line = new StringBuilder("preheat of ").append(name).append(": ").append(preheat.path("state").asText("none"));
        long wanted = preheat.path("bytesWanted").asLong();
        if (wanted > 0) {
            line.append(String.format(Locale.ROOT, ", %s of %s in the cache", Sizes.bytes(preheat.path("bytesRead").asLong()),
                    Sizes.bytes(wanted)));
        }
        if (preheat.path("piecesFailed").asInt() > 0) {
            line.append(", ").append(preheat.path("piecesFailed").asInt()).append(" pieces failed");
        }
        return line.toString();
    }
}
