package io.cdc2esdb.dev.app;

import java.io.PrintWriter;
import java.util.Locale;

/** The demo's progress lines, each stamped with the seconds since the demo started. */
final class DemoConsole {

  private final PrintWriter out;
  private final long startedNanos = System.nanoTime();

  DemoConsole(PrintWriter out) {
    this.out = out;
  }

  void step(String format, Object... args) {
    double seconds = (System.nanoTime() - startedNanos) / 1e9;
    out.printf(Locale.ROOT, "[%5.1fs] %s%n", seconds, String.format(Locale.ROOT, format, args));
    out.flush();
  }

  PrintWriter out() {
    return out;
  }
}
