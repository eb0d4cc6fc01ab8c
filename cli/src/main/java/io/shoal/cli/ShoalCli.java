package io.shoal.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * {@code shoal}: push, list, show, retire and download artifacts through a Shoal gateway. Exit codes: 0 done,
 * 1 failed (the gateway or the network), 2 usage, 3 not found, 4 refused (token, conflict, bad input),
 * 5 a download whose bytes do not match their SHA-256.
 */
@Command(name = "shoal", mixinStandardHelpOptions = true, versionProvider = ShoalCli.Version.class,
        description = "Pushes artifacts to a Shoal gateway and gets them back.",
        subcommands = {PushCommand.class, ListCommand.class, InfoCommand.class, RemoveCommand.class, GetCommand.class,
                RolloutCommand.class, PreheatCommand.class},
        footer = {"",
                "The gateway and the token: --gateway and --token, else SHOAL_GATEWAY_URL",
                "and SHOAL_API_TOKEN, else gateway.url and api.token in a config file:",
                "--config, SHOAL_CLI_CONFIG, $SHOAL_HOME/stack.properties (./shoal up",
                "writes it) or ~/.config/shoal/cli.properties. The gateway defaults to",
                "http://127.0.0.1:8080.",
                "",
                "Exit codes: 0 done, 1 failed (the gateway or the network), 2 usage,",
                "3 not found, 4 refused (token, conflict, bad input), 5 downloaded bytes",
                "not matching their SHA-256."})
public final class ShoalCli {

    @Option(names = "--gateway", scope = ScopeType.INHERIT, paramLabel = "URL", description = "the gateway, e.g. http://127.0.0.1:8080")
    String gateway;
    @Option(names = "--token", scope = ScopeType.INHERIT, paramLabel = "TOKEN", description = "the API token (push, rm)")
    String token;
    @Option(names = "--config", scope = ScopeType.INHERIT, paramLabel = "FILE", description = "a properties file: gateway.url, api.token")
    Path config;

    final PrintStream out;
    final PrintStream err;
    final Map<String, String> env;
    final boolean terminal;

    ShoalCli(PrintStream out, PrintStream err, Map<String, String> env, boolean terminal) {
        this.out = out;
        this.err = err;
        this.env = env;
        this.terminal = terminal;
    }

    GatewayClient gateway() throws CliException {
        return new GatewayClient(Settings.resolve(gateway, token, config, env, Path.of(System.getProperty("user.home"))));
    }

    /** Progress on standard error, redrawn on a terminal, a line a tenth elsewhere. */
    Progress progress(String label, long total, long already) {
        return new Progress(label, total, already, err, terminal, System::nanoTime);
    }

    /**
     * A status that changes while a command waits (--watch, --wait): redrawn in place on a terminal, a line per change
     * elsewhere. {@code previous} is the line shown before ("" at first); {@link #statusDone} ends it.
     */
    void status(String line, String previous) {
        if (terminal) {
            err.print("\r" + line + "\u001b[K");
        } else if (!line.equals(previous)) {
            err.println(line);
        }
    }

    void statusDone() {
        if (terminal) {
            err.println();
        }
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err, System.getenv(), onTerminal()));
    }

    /**
     * Whether we talk to a terminal: a console exists and, on Java 22 and newer (where one may exist with the
     * streams redirected), {@code Console.isTerminal()} says so.
     */
    static boolean onTerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // Java 21: a console means a terminal
        }
    }

    static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env, boolean terminal) {
        CommandLine line = new CommandLine(new ShoalCli(out, err, env, terminal));
        line.setOut(new java.io.PrintWriter(out, true));
        line.setErr(new java.io.PrintWriter(err, true));
        line.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof CliException failure) {
                err.println("shoal: " + failure.getMessage());
                return failure.exitCode();
            }
            err.println("shoal: " + e);
            return CliException.FAILED;
        });
        return line.execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = ShoalCli.class.getPackage().getImplementationVersion();
            return new String[] {"shoal " + (version == null ? "(development build)" : version)};
        }
    }
}
