package io.shoal.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "rm", mixinStandardHelpOptions = true, description = "Retires an artifact: its torrent leaves the tracker and the seeders, its bytes the store.")
final class RemoveCommand implements Callable<Integer> {

    @ParentCommand
    ShoalCli cli;
    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    public Integer call() throws CliException {
        GatewayClient gateway = cli.gateway();
        gateway.json(gateway.authorized(gateway.artifactUrl(name)).DELETE().build());
        cli.out.println("retired " + name);
        return 0;
    }
}
