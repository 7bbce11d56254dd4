package io.cdc2esdb.dev.app;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The machine a benchmark ran on, for its report. */
final class BenchEnvironment {

  private BenchEnvironment() {}

  /** {@code /proc/loadavg}'s three averages, or "unknown". */
  static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (IOException | ArrayIndexOutOfBoundsException e) {
      return "unknown";
    }
  }

  static String describe(String commit) {
    return String.format(
        Locale.ROOT,
        "- Commit: %s.%n- Machine: %d cores (%s), %s memory; %s %s.",
        commit == null ? "not given (--commit)" : commit,
        Runtime.getRuntime().availableProcessors(),
        cpuModel(),
        memory(),
        System.getProperty("java.vm.name"),
        System.getProperty("java.version"));
  }

  private static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(line -> line.startsWith("model name"))
          .map(line -> line.substring(line.indexOf(':') + 1).trim())
          .findFirst()
          .orElse("unknown CPU");
    } catch (IOException e) {
      return "unknown CPU";
    }
  }

  private static String memory() {
    try {
      return Files.readAllLines(Path.of("/proc/meminfo")).stream()
          .filter(line -> line.startsWith("MemTotal:"))
          .map(line -> Long.parseLong(line.replaceAll("\\D", "")) / 1024 / 1024 + " GB")
          .findFirst()
          .orElse("unknown");
    } catch (IOException | NumberFormatException e) {
      return "unknown";
    }
  }
}
