package io.cdc2esdb.dev.app;

import io.cdc2esdb.app.Main;
import io.cdc2esdb.app.ReadCommand;
import io.cdc2esdb.app.RunCommand;
import io.cdc2esdb.app.TopologyCommand;
import io.cdc2esdb.app.VerifyCommand;
import io.cdc2esdb.app.VersionProvider;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The dev artifact's entry point, {@code java -jar cdc2esdb-dev.jar <command>}: the production
 * commands plus those that bring their own servers ({@code demo}, {@code emulator}, {@code bench}).
 */
@Command(
    name = "cdc2esdb-dev",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
      "cdc2esdb with its dev parts: an embedded Kafka broker, MariaDB and Debezium runners, the"
          + " EventStoreDB emulator and the benchmarks.",
      "Production deployments use cdc2esdb.jar, which has run, topology, verify and read."
    },
    subcommands = {
      RunCommand.class,
      TopologyCommand.class,
      VerifyCommand.class,
      ReadCommand.class,
      DemoCommand.class,
      EmulatorCommand.class,
      BenchCommand.class,
      BrokerCommand.class,
      CommandLine.HelpCommand.class
    })
public final class DevMain implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(Main.execute(commandLine(), args));
  }

  /** The command line with every command registered; tests drive it without exiting the JVM. */
  public static CommandLine commandLine() {
    return new CommandLine(new DevMain()).setCaseInsensitiveEnumValuesAllowed(true);
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
