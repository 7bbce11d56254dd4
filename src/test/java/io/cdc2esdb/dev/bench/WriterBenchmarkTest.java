package io.cdc2esdb.dev.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdc2esdb.sink.InMemoryEventStore;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class WriterBenchmarkTest {

  private static final WriterBenchmark.Settings QUICK =
      new WriterBenchmark.Settings(Duration.ofMillis(100), Duration.ofMillis(300), 400, 300);

  @Test
  void shouldCoverOneAndAHundredEventsPerAppendWithOneSixteenAndSixtyFourInFlight() {
    assertThat(WriterBenchmark.matrix())
        .containsExactly(
            new WriterBenchmark.Scenario(1, 1),
            new WriterBenchmark.Scenario(1, 16),
            new WriterBenchmark.Scenario(1, 64),
            new WriterBenchmark.Scenario(100, 1),
            new WriterBenchmark.Scenario(100, 16),
            new WriterBenchmark.Scenario(100, 64));
  }

  @Test
  void shouldCountAppendsAndEventsOfEveryLaneWithExactRevisions() throws Exception {
    InMemoryEventStore store = new InMemoryEventStore();
    WriterBenchmark.Result result =
        WriterBenchmark.run("memory", store, new WriterBenchmark.Scenario(10, 4), QUICK, "run");
    assertThat(result.appends()).isPositive();
    assertThat(result.events()).isEqualTo(result.appends() * 10);
    assertThat(result.eventsPerSecond())
        .isCloseTo(result.appendsPerSecond() * 10, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(store.events("run-0").size()).isGreaterThanOrEqualTo((int) (result.appends() / 4));
  }

  @Test
  void shouldPrintAMarkdownTable() throws Exception {
    WriterBenchmark.Result result =
        WriterBenchmark.run(
            "memory", new InMemoryEventStore(), new WriterBenchmark.Scenario(1, 1), QUICK, "md");
    String table = WriterBenchmark.markdown(List.of(result));
    assertThat(table.lines().toList())
        .hasSize(3)
        .first()
        .isEqualTo(
            "| target | events/append | in flight | appends/s | events/s | p50 ms | p99 ms |"
                + " emulator CPU µs/event |");
    assertThat(table.lines().toList().get(2)).startsWith("| memory | 1 | 1 | ").endsWith(" - |");
  }

  @Test
  void shouldChargeTheServersCpuOverTheMeasuredWindowToItsEvents() throws Exception {
    // a "server" whose CPU counter always runs
    WriterBenchmark.Result result =
        WriterBenchmark.run(
            "memory",
            new InMemoryEventStore(),
            new WriterBenchmark.Scenario(5, 1),
            QUICK,
            "cpu",
            System::nanoTime);
    assertThat(result.serverCpuMicrosPerEvent()).isPositive().isFinite();
    assertThat(WriterBenchmark.markdown(List.of(result)).lines().toList().get(2))
        .matches(".* \\d+\\.\\d \\|$");
  }
}
