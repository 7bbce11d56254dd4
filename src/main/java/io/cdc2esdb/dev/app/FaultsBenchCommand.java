package io.cdc2esdb.dev.app;

import io.cdc2esdb.dev.faults.FaultRun;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bench faults}: the whole fault suite, one command, its table in bench/faults.md. */
@Command(
    name = "faults",
    mixinStandardHelpOptions = true,
    description = {
      "Run the fault suite on separate processes (broker, EventStoreDB emulator, cdc2esdb"
          + " instances) on loopback: kill -9 (also right after an acknowledged append),"
          + " EventStoreDB outages of 5/30/120/400 s, EventStoreDB frozen (SIGSTOP) for 30 s,"
          + " 1,000 poison records in 100,000, rebalance churn, Debezium re-delivery, state.dir"
          + " wiped, kill -9 in the middle of a transaction; each scenario ends with verify.",
      "Writes a Markdown table (default bench/faults.md). Takes about half an hour."
    })
public final class FaultsBenchCommand implements Callable<Integer> {

  @Option(
      names = "--jars",
      paramLabel = "DIR",
      description = "Where cdc2esdb.jar and cdc2esdb-dev.jar are (default: ${DEFAULT-VALUE}).")
  Path jars = Path.of("target");

  @Option(names = "--out", paramLabel = "FILE", description = "Default: ${DEFAULT-VALUE}.")
  Path out = Path.of("bench", "faults.md");

  @Option(
      names = "--work",
      paramLabel = "DIR",
      description = "Logs and data of the processes (default: a new temporary directory).")
  Path work;

  @Option(
      names = "--quick",
      description = "The CI-sized subset (a few kills, one 5 s outage, 100 poison records).")
  boolean quick;

  @Option(
      names = "--scenarios",
      split = ",",
      paramLabel = "NAME",
      description =
          "Only these of a full run: kills, baseline, poison, outages, freeze, redelivery, wipe,"
              + " midtxn, churn.")
  List<String> scenarios = FaultRun.SCENARIOS;

  @Override
  public Integer call() throws Exception {
    return FaultRun.run(jars, out, work, quick, scenarios, System.out) ? 0 : 1;
  }
}
