package io.cdc2esdb.dev.faults;

import io.cdc2esdb.dev.proc.ProcessStack;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The scenarios of one full (or quick) run, in order; the table is rewritten after each. */
public final class FaultRun {

  private FaultRun() {}

  /** The scenarios of a full run, in the order they run. */
  public static final List<String> SCENARIOS =
      List.of(
          "kills",
          "baseline",
          "poison",
          "outages",
          "freeze",
          "redelivery",
          "wipe",
          "midtxn",
          "churn");

  /** Returns true when every scenario verified with nothing lost, duplicated or reordered. */
  public static boolean run(
      Path jars, Path out, Path work, boolean quick, List<String> only, PrintStream log)
      throws InterruptedException {
    Path dir = work != null ? work : temp();
    List<FaultSuite.Row> rows = new ArrayList<>();
    List<String> setting = new ArrayList<>();
    setting.add("run started " + Instant.now() + (quick ? " (--quick)" : ""));
    setting.add(
        "machine: "
            + Runtime.getRuntime().availableProcessors()
            + " cores, load average at start "
            + String.format(
                "%.1f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
    setting.add(
        "broker, emulator (-Xmx1536m) and each cdc2esdb instance (production jar, -Xmx384m)"
            + " are separate"
            + " processes on loopback; Debezium-shaped changes of 500 rows on 3 partitions, no"
            + " transaction metadata, except the mid-transaction scenario (the pipeline"
            + " benchmark's workload: transactions of 1-10 rows of ~400 bytes with BEGIN/END);"
            + " cdc2esdb defaults except session.timeout.ms=6000 and heartbeat.interval.ms=1500"
            + " (Kafka Streams 4.1 does not leave the group on close, so a restarted instance's"
            + " old member holds up the rebalance until its session times out)");
    try (FaultSuite suite =
        FaultSuite.start(
            dir, ProcessStack.Jars.in(jars), log, Duration.ofMinutes(quick ? 3 : 10))) {
      suite.instances(1);
      if (quick) {
        add(rows, suite.kills("kills", 3_000, 300, 3, 3), out, setting);
        add(rows, suite.outage("outage5", 2_000, 250, Duration.ofSeconds(5)), out, setting);
        add(rows, suite.poison("poison", 2_000, 100, 500), out, setting);
      } else {
        if (only.contains("kills")) {
          add(rows, suite.kills("kills", 20_000, 50, 20, 4), out, setting);
        }
        if (only.contains("baseline")) {
          add(rows, suite.poison("baseline", 100_000, 0, 5_000), out, setting);
        }
        if (only.contains("poison")) {
          add(rows, suite.poison("poison", 100_000, 1_000, 5_000), out, setting);
        }
        for (int seconds : only.contains("outages") ? new int[] {5, 30, 120, 400} : new int[0]) {
          add(
              rows,
              suite.outage(
                  "outage" + seconds, (seconds + 10) * 100L, 100, Duration.ofSeconds(seconds)),
              out,
              setting);
        }
        if (only.contains("freeze")) {
          add(rows, suite.freeze("freeze", 5_000, 100, Duration.ofSeconds(30)), out, setting);
        }
        if (only.contains("redelivery")) {
          add(rows, suite.redelivery("redelivery", 5_000, 500, 1_000), out, setting);
        }
        if (only.contains("wipe")) {
          add(rows, suite.stateWipe("wipe", 5_000, 300, 2), out, setting);
        }
        if (only.contains("midtxn")) {
          add(rows, suite.midTransaction(3_000, 300, 200, 3), out, setting);
        }
        if (only.contains("churn")) {
          add(
              rows,
              suite.churn("churn", 100, Duration.ofSeconds(20), Duration.ofMinutes(3)),
              out,
              setting);
        }
      }
    }
    setting.add("run ended " + Instant.now());
    FaultTable.write(out, rows, setting);
    return rows.stream()
        .allMatch(r -> r.verified() && r.lost() == 0 && r.duplicated() == 0 && r.reordered() == 0);
  }

  private static void add(
      List<FaultSuite.Row> rows, FaultSuite.Row row, Path out, List<String> setting) {
    rows.add(row);
    FaultTable.write(out, rows, setting);
  }

  private static Path temp() {
    try {
      return Files.createTempDirectory("cdc2esdb-faults-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
