package io.cdc2esdb.dev.proc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcStatsTest {

  @Test
  void shouldAddUserAndSystemTicksAfterACommandNameWithSpacesAndParentheses() {
    // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime
    String stat = "4242 (java (x) y) S 1 4242 4242 0 -1 4194304 100 0 0 0 250 50 0 0 20 0 31 0";
    assertThat(ProcStats.cpuNanos(stat)).isEqualTo(300 * (1_000_000_000L / clockTicks()));
  }

  @Test
  void shouldReadKilobyteLinesOfTheStatusFile() {
    String status = "Name:\tjava\nVmHWM:\t  204800 kB\nVmRSS:\t  102400 kB\nThreads:\t31\n";
    assertThat(ProcStats.kilobytes(status, "VmRSS:")).isEqualTo(102_400);
    assertThat(ProcStats.kilobytes(status, "VmHWM:")).isEqualTo(204_800);
    assertThat(ProcStats.kilobytes(status, "VmSwap:")).isZero();
  }

  @Test
  void shouldReadThisProcess() {
    ProcStats self = ProcStats.of(ProcessHandle.current().pid());
    assertThat(self.cpuNanos()).isPositive();
    assertThat(self.rssBytes()).isPositive();
    assertThat(self.peakRssBytes()).isGreaterThanOrEqualTo(self.rssBytes());
  }

  private static long clockTicks() {
    // Recover USER_HZ from a known tick count rather than assuming 100.
    return 1_000_000_000L / ProcStats.cpuNanos("1 (a) S 0 0 0 0 0 0 0 0 0 0 1 0 0 0");
  }
}
