package io.cdc2esdb.dev.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PipelineReportTest {

  private static RunMetrics run(double rate, double cpuMicros) {
    return new RunMetrics(
        20_000,
        3.5,
        10,
        rate,
        cpuMicros,
        cpuMicros * 1.5,
        cpuMicros * 2,
        200L << 20,
        400L << 20,
        12,
        150,
        0,
        0,
        0);
  }

  @Test
  void shouldTakeTheSlowerRawPathAsTheLimit() {
    RawLimits.Result consume = new RawLimits.Result("(i)", 20_000, 2, 0); // 10,000/s
    RawLimits.Result append = new RawLimits.Result("(ii)", 20_000, 4, 0); // 5,000/s
    assertThat(PipelineReport.limit(consume, append)).isEqualTo(5_000);
    assertThat(PipelineReport.limit(append, consume)).isEqualTo(5_000);
    assertThat(PipelineReport.limit(null, append)).isNaN();
  }

  @Test
  void shouldReportRatiosToTheLimitAndTheSeedDesign() {
    PipelineBenchmark.CaseResult c =
        new PipelineBenchmark.CaseResult(
            20_000,
            1,
            new WorkloadProducer.Sent(20_000, 26_000, 24_000_000, 3_600, 4.0),
            new Workload.Mix(4_000, 14_000, 2_000),
            new RawLimits.Result("(i) consume + parse", 20_000, 2, 20_000_000),
            run(500, 900),
            List.of(
                new PipelineBenchmark.ModeResult(
                    "per-stream",
                    run(4_000, 80),
                    new RawLimits.Result("(ii) append direct", 20_000, 4, 0),
                    new PipelineBenchmark.Latency(2_000, 1_990, 36_000, 40, 180, 300, 42),
                    null,
                    new ChangelogCounts(9_000, 19_000))),
            List.of("20000 transaction cdc2esdb: not ready"));
    String md = PipelineReport.markdown("## Run", List.of(c));
    // 4,000/s against the limit min(10,000, 5,000) = 5,000 and the seed design's 500/s.
    assertThat(md)
        .contains(
            "| 20,000 | 1 | per-stream | 4,000 | 3.5 | 500 | 10,000 | 5,000 | 5,000 | 0.80 | 8.0× |");
    assertThat(md)
        .contains(
            "| 20,000 | 1 | per-stream | 80 | 120 | 160 | 200 | 400 | 150 (12) | 0 | 0.45, 0.95 |");
    assertThat(md)
        .contains("| 20,000 | 1 | per-stream | 2,000 | 1,990 | 42 | 36,000 | 40 | 180 | 300 |");
    assertThat(md).contains("4,000 inserts, 14,000 updates, 2,000 deletes in 3,600 transactions");
    assertThat(md).contains("- Not measured, failed: 20000 transaction cdc2esdb: not ready");
  }

  @Test
  void shouldTakeNearestRankPercentiles() {
    long[] sorted = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    assertThat(PipelineBenchmark.percentile(sorted, 0.5)).isEqualTo(5);
    assertThat(PipelineBenchmark.percentile(sorted, 0.99)).isEqualTo(10);
    assertThat(PipelineBenchmark.percentile(new long[0], 0.5)).isNaN();
  }
}
