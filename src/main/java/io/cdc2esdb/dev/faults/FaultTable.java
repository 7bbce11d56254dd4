package io.cdc2esdb.dev.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** {@code bench/faults.md}: the result table of one run of the fault suite, with its setting. */
final class FaultTable {

  private FaultTable() {}

  static void write(Path file, List<FaultSuite.Row> rows, List<String> setting) {
    StringBuilder md = new StringBuilder("# Fault suite\n\n");
    md.append(
        "Every scenario ends with `verify` on its own topic once cdc2esdb has caught up: lost,"
            + " duplicated and reordered are verify's missing, duplicated and out-of-order counts;"
            + " written is what EventStoreDB holds of the scenario's expected events; time to catch"
            + " up runs from the end of the load and faults to the start of the first verify that"
            + " matches (verify then reads every event of EventStoreDB, which takes seconds);"
            + " resumed after (EventStoreDB faults only) runs from EventStoreDB's return (ready"
            + " again, or continued after SIGSTOP) to the first append cdc2esdb counts after it"
            + " (its events-written-total grows; polled every 25 ms); left RUNNING / replaced /"
            + " fenced count, in every instance's log during the scenario, the Kafka Streams"
            + " state changes out of RUNNING (rebalances, shutdowns), the stream threads replaced"
            + " after an uncaught exception and the lines saying a producer was fenced.\n\n");
    setting.forEach(line -> md.append("- ").append(line).append('\n'));
    md.append(
        "\n| scenario | load | faults | expected | written | lost | duplicated | reordered |"
            + " dead letters | time to catch up | resumed after | left RUNNING / replaced /"
            + " fenced |\n");
    md.append("|---|---|---|---:|---:|---:|---:|---:|---|---:|---:|---:|\n");
    for (FaultSuite.Row r : rows) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %s | %d | %d | %d | %d | %d | %s | %s | %s | %s |%n",
              r.scenario(),
              r.load(),
              r.faults(),
              r.expected(),
              r.written(),
              r.lost(),
              r.duplicated(),
              r.reordered(),
              r.deadLetters()
                  + (r.deadLetterCodes().isEmpty() ? "" : " (" + r.deadLetterCodes() + ")"),
              r.verified()
                  ? String.format(Locale.ROOT, "%.1f s", r.catchUpSeconds())
                  : "not within " + Math.round(r.catchUpSeconds()) + " s: " + r.note(),
              Double.isNaN(r.resumedSeconds())
                  ? "-"
                  : Double.isInfinite(r.resumedSeconds())
                      ? "not within the catch-up timeout"
                      : String.format(Locale.ROOT, "%.2f s", r.resumedSeconds()),
              r.lifecycle().leftRunning()
                  + " / "
                  + r.lifecycle().threadsReplaced()
                  + " / "
                  + r.lifecycle().fencedLines()));
    }
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(file, md);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
