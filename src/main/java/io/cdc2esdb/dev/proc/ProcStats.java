package io.cdc2esdb.dev.proc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the kernel says about one process, from {@code /proc/<pid>/stat} and {@code
 * /proc/<pid>/status}: CPU time used (user + system, all threads), resident memory now and its
 * peak.
 */
public record ProcStats(long cpuNanos, long rssBytes, long peakRssBytes) {

  /** Reads the numbers of a live process (Linux only). */
  public static ProcStats of(long pid) {
    Path dir = Path.of("/proc", Long.toString(pid));
    try {
      return new ProcStats(
          cpuNanos(Files.readString(dir.resolve("stat"))),
          kilobytes(Files.readString(dir.resolve("status")), "VmRSS:") * 1024,
          kilobytes(Files.readString(dir.resolve("status")), "VmHWM:") * 1024);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read /proc for process " + pid, e);
    }
  }

  /** utime + stime (fields 14 and 15) of a {@code /proc/<pid>/stat} line, in nanoseconds. */
  static long cpuNanos(String stat) {
    // The command name (field 2) is in parentheses and may hold spaces: count from after it.
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    return ticks * (1_000_000_000L / ClockTicks.PER_SECOND);
  }

  /** The value of a {@code Name: 123 kB} line of {@code /proc/<pid>/status}; 0 when absent. */
  static long kilobytes(String status, String name) {
    return status
        .lines()
        .filter(line -> line.startsWith(name))
        .map(line -> line.substring(name.length()).trim().split("\\s+")[0])
        .mapToLong(Long::parseLong)
        .findFirst()
        .orElse(0);
  }

  /** The kernel's USER_HZ, in which {@code /proc} counts CPU time (100 on every common Linux). */
  private static final class ClockTicks {
    static final long PER_SECOND = read();

    private static long read() {
      try {
        Process getconf = new ProcessBuilder("getconf", "CLK_TCK").start();
        String out = new String(getconf.getInputStream().readAllBytes()).trim();
        return getconf.waitFor() == 0 ? Long.parseLong(out) : 100;
      } catch (IOException | NumberFormatException e) {
        return 100;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return 100;
      }
    }
  }
}
