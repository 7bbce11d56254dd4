package io.cdc2esdb.app;

import io.cdc2esdb.sink.EsdbCommonPool;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The one entry point: {@code java -jar cdc2esdb.jar <command>}. */
@Command(
    name = "cdc2esdb",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description =
        "Debezium MySQL/MariaDB change events to EventStoreDB streams, with Kafka Streams.",
    subcommands = {
      RunCommand.class,
      DemoCommand.class,
      TopologyCommand.class,
      EmulatorCommand.class,
      BenchCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    // Before anything touches CompletableFuture: on 2 cores the EventStoreDB client would otherwise
    // start a thread per asynchronous step (see bench/writer-benchmark.md).
    EsdbCommonPool.configure();
    System.exit(commandLine().execute(args));
  }

  /** The command line with every command registered; tests drive it without exiting the JVM. */
  public static CommandLine commandLine() {
    return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true);
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
