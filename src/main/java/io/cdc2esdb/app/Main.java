package io.cdc2esdb.app;

import io.cdc2esdb.sink.EsdbCommonPool;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The production entry point, {@code java -jar cdc2esdb.jar <command>}: the commands a deployment
 * needs and nothing that starts a broker, a database or an emulator. The dev artifact's {@code
 * DevMain} adds those.
 */
@Command(
    name = "cdc2esdb",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description =
        "Debezium MySQL/MariaDB change events to EventStoreDB streams, with Kafka Streams.",
    subcommands = {RunCommand.class, TopologyCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(execute(commandLine(), args));
  }

  /** The command line with every production command; tests drive it without exiting the JVM. */
  public static CommandLine commandLine() {
    return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
  }

  /** Runs {@code cli} the way both entry points do, and returns its exit code. */
  public static int execute(CommandLine cli, String[] args) {
    // Before anything touches CompletableFuture: on 2 cores the EventStoreDB client would otherwise
    // start a thread per asynchronous step (see bench/writer-benchmark.md).
    EsdbCommonPool.configure();
    CommandLine run = cli.getSubcommands().get("run");
    if (run != null) {
      run.getCommandSpec().usageMessage().footer(RunCommand.helpFooter());
    }
    return cli.execute(args);
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
