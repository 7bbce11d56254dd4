package io.cdc2esdb.dev.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdc2esdb.dev.proc.ProcessStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole harness on a tiny workload, from the built jars: every part runs, cdc2esdb writes
 * exactly one event per change (checked in EventStoreDB by the harness), the report has its rows,
 * and no process is left behind. No figure is asserted: numbers belong in the report.
 */
class PipelineBenchmarkIT {

  @TempDir Path work;

  @Test
  void shouldMeasureEveryPartEndToEndAndLeaveNothingRunning() throws Exception {
    PipelineBenchmark.Options options =
        new PipelineBenchmark.Options(
            List.of(600L),
            List.of(2),
            List.of(PipelineBenchmark.DEFAULT_MODE),
            EnumSet.allOf(PipelineBenchmark.Part.class),
            300,
            600,
            200,
            0.5,
            Duration.ofSeconds(2),
            Duration.ofSeconds(4),
            Map.of(),
            List.of("-Xmx256m"),
            List.of("--no-projections"),
            true,
            Duration.ofMinutes(5));
    List<String> log = new ArrayList<>();
    List<PipelineBenchmark.CaseResult> results;
    try (ProcessStack stack = ProcessStack.in(work, ProcessStack.Jars.in(Path.of("target")))) {
      results = new PipelineBenchmark(stack, options, log::add).run();
    }

    assertThat(results).hasSize(1);
    PipelineBenchmark.CaseResult c = results.get(0);
    assertThat(c.failures()).isEmpty();
    assertThat(c.mix().total()).isEqualTo(600);
    assertThat(c.preload().events()).isEqualTo(600);
    // (i) reads whole polls from the start of the topic, warm-up included, until it has 600.
    assertThat(c.consume().events()).isBetween(600L, 800L);
    assertThat(c.seed().events()).isEqualTo(300);
    PipelineBenchmark.ModeResult m = c.modes().get(0);
    assertThat(m.directAppend().events()).isEqualTo(600);
    assertThat(m.metrics().events()).isEqualTo(600);
    assertThat(m.metrics().warmupEvents()).isEqualTo(200);
    // Every event written was put into `pending` and removed from it: two records each, plus
    // the commit markers; positions are recorded too (the record cache merges some).
    assertThat(m.changelogs().pending()).isGreaterThanOrEqualTo(1_600L);
    assertThat(m.changelogs().positions()).isPositive();
    assertThat(log).anyMatch(l -> l.contains("preloaded a warm-up of 200 events first"));
    assertThat(m.metrics().steadyEventsPerSecond()).isPositive();
    assertThat(m.metrics().steadyCpuMicrosPerEvent()).isPositive();
    assertThat(m.metrics().peakHeapBytes()).isPositive();
    assertThat(m.metrics().peakRssBytes()).isPositive();
    assertThat(m.profile()).isNotNull();
    assertThat(m.latency().events()).isPositive();
    assertThat(m.latency().p99()).isGreaterThanOrEqualTo(m.latency().p50());

    String report = PipelineReport.markdown("## Smoke", results);
    assertThat(report).contains("| 600 | 2 | default |").contains("### Profile: cdc2esdb");

    assertThat(javaProcessesUnder(work)).as("processes left running").isEmpty();
    try (Stream<Path> logs = Files.list(work)) {
      assertThat(logs.map(p -> p.getFileName().toString()))
          .contains("broker.log")
          .anyMatch(n -> n.startsWith("cdc2esdb-") && n.endsWith(".jfr"))
          .anyMatch(n -> n.startsWith("seed-") && n.endsWith(".log"));
    }
  }

  private static List<Long> javaProcessesUnder(Path dir) {
    String marker = dir.toString();
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
        .map(ProcessHandle::pid)
        .toList();
  }
}
