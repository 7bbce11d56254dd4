package io.cdc2esdb.dev.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunMetricsTest {

  private static final long SECOND = 1_000_000_000L;

  /**
   * Launched at 0; nothing for 2 s (start-up, 1 s of CPU); then 1,000 events/s at 500 µs CPU each;
   * a sample every 0.5 s.
   */
  private static List<Sample> steadyRun(long events) {
    List<Sample> samples = new ArrayList<>();
    for (long t = SECOND / 2; ; t += SECOND / 2) {
      long written = t <= 2 * SECOND ? 0 : Math.min(events, (t - 2 * SECOND) / 1_000_000);
      long cpu = Math.min(t, SECOND) + written * 500_000;
      long heap = (written % 3 + 1) * 100L << 20;
      samples.add(
          new Sample(
              t, written, cpu, 300L << 20, 350L << 20, heap, t / SECOND, t / 10_000_000, 2 * cpu));
      if (written >= events) {
        return samples;
      }
    }
  }

  @Test
  void shouldTakeTheSteadyRateAndCpuPerEventBetweenTenAndNinetyPercent() {
    RunMetrics m = RunMetrics.of(steadyRun(10_000), 10_000, 0, 1);
    assertThat(m.steadyEventsPerSecond()).isCloseTo(1_000, within(1e-6));
    assertThat(m.steadyCpuMicrosPerEvent()).isCloseTo(500, within(1e-6));
    // The first sample with an event is at 2.5 s; the last event is written at 12 s.
    assertThat(m.startupSeconds()).isCloseTo(2.5, within(1e-9));
    assertThat(m.totalSeconds()).isCloseTo(12, within(1e-9));
    // 1 s of start-up CPU spread over the events on top of the 500 µs.
    assertThat(m.totalCpuMicrosPerEvent()).isCloseTo(600, within(1e-6));
    // The others spend twice the subject's CPU: 1,000 µs per event in the window.
    assertThat(m.othersCpuMicrosPerEvent()).isCloseTo(1_000, within(1e-6));
    assertThat(m.peakHeapBytes()).isEqualTo(300L << 20);
    assertThat(m.peakRssBytes()).isEqualTo(350L << 20);
    assertThat(m.gcCount()).isEqualTo(12);
    assertThat(m.gcMillis()).isEqualTo(1_200);
    assertThat(m.restarts()).isEqualTo(1);
  }

  @Test
  void shouldMeasureOnlyTheEventsAfterAWarmup() {
    // Launched at 0, first events after 1 s; a warm-up of 4,000 events at 500 events/s and 1,000
    // µs CPU each (until 9 s), then 6,000 events at 1,000 events/s and 500 µs each (until 15 s).
    List<Sample> samples = new ArrayList<>();
    for (long t = SECOND / 2; t <= 15 * SECOND; t += SECOND / 2) {
      long warm = Math.max(0, Math.min(4_000, (t - SECOND) / 2_000_000));
      long measured = Math.max(0, (t - 9 * SECOND) / 1_000_000);
      long cpu = warm * 1_000_000 + measured * 500_000;
      samples.add(new Sample(t, warm + measured, cpu, 0, 0, 0, 0, 0, 0));
    }
    RunMetrics m = RunMetrics.of(samples, 4_000, 6_000, 0, 0);
    assertThat(m.events()).isEqualTo(6_000);
    assertThat(m.warmupEvents()).isEqualTo(4_000);
    assertThat(m.steadyEventsPerSecond()).isCloseTo(1_000, within(1e-6));
    assertThat(m.steadyCpuMicrosPerEvent()).isCloseTo(500, within(1e-6));
    // The first sample with an event (250 written) at 1.5 s, the warm-up's last event at 9 s.
    assertThat(m.startupSeconds()).isCloseTo(1.5, within(1e-9));
    assertThat(m.warmupSeconds()).isCloseTo(7.5, within(1e-9));
    assertThat(m.totalCpuMicrosPerEvent()).isCloseTo(700, within(1e-6));
    assertThatThrownBy(() -> RunMetrics.of(samples, 4_001, 6_000, 0, 0))
        .hasMessageContaining("did not write all 10001");
  }

  @Test
  void shouldInterpolateBetweenSamples() {
    List<Sample> samples =
        List.of(
            new Sample(0, 0, 0, 0, 0, 0, 0, 0, 0), new Sample(10, 100, 1_000, 0, 0, 0, 0, 0, 0));
    assertThat(RunMetrics.at(samples, 25, Sample::nanos)).isEqualTo(2.5);
    assertThat(RunMetrics.at(samples, 25, Sample::cpuNanos)).isEqualTo(250);
  }

  @Test
  void shouldRefuseARunThatDidNotWriteEverything() {
    assertThatThrownBy(() -> RunMetrics.of(steadyRun(1_000), 2_000, 0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("did not write all 2000");
  }
}
