package io.cdc2esdb.app;

import io.cdc2esdb.config.CdcConfig;
import io.cdc2esdb.config.Settings;
import io.cdc2esdb.sink.EsdbReader;
import io.cdc2esdb.sink.EventStoreException;
import io.cdc2esdb.verify.EventPrinter;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Prints a stream's events (or all events) from any EventStoreDB, one JSON object a line. */
@Command(
    name = "read",
    mixinStandardHelpOptions = true,
    description = {
      "Print a stream's events (revision, type, id, data, metadata) as JSON Lines, from any"
          + " EventStoreDB; --all for every stream, --follow to keep printing new events."
    })
public final class ReadCommand implements Callable<Integer> {

  @Parameters(
      arity = "0..1",
      paramLabel = "STREAM",
      description = "The stream, e.g. customers-1001, $ce-customers, $bc-<gtid>.")
  String stream;

  @Option(names = "--all", description = "Every event of every stream ($all), in commit order.")
  boolean all;

  @Option(names = "--system", description = "With --all: system streams ($...) too.")
  boolean system;

  @Option(names = "--follow", description = "Keep printing new events until Ctrl-C.")
  boolean follow;

  static final class Connection {
    @Option(names = "--config", description = "The configuration `run` uses.")
    Path config;

    @Option(
        names = "--esdb",
        paramLabel = "CONNECTION-STRING",
        description = "EventStoreDB to read, e.g. esdb://127.0.0.1:2113?tls=false.")
    String connectionString;
  }

  @ArgGroup(multiplicity = "1")
  Connection connection;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if ((stream == null) == !all) {
      err.println("Name a STREAM or --all, not both");
      return ExitCodes.BAD_CONFIGURATION;
    }
    String connectionString = connection.connectionString;
    long deadlineMs = 10_000;
    if (connectionString == null) {
      try {
        CdcConfig cdc = Settings.load(connection.config, System.getenv()).cdc();
        connectionString = cdc.esdbConnectionString().value();
        deadlineMs = cdc.esdbDeadlineMs();
      } catch (ConfigException e) {
        err.println("Invalid configuration: " + e.getMessage());
        return ExitCodes.BAD_CONFIGURATION;
      }
    }
    try (EsdbReader esdb = EsdbReader.connect(connectionString, deadlineMs)) {
      EventPrinter printer = new EventPrinter(esdb, out, system);
      String target = all ? "$all" : stream;
      if (follow) {
        printer.follow(target);
      } else if (all) {
        printer.all();
      } else {
        printer.stream(stream);
      }
      return 0;
    } catch (IllegalArgumentException e) {
      err.println("Invalid connection string: " + e.getMessage());
      return ExitCodes.BAD_CONFIGURATION;
    } catch (EventStoreException | IllegalStateException e) {
      err.println("Reading failed: " + e.getMessage());
      return 1;
    }
  }
}
