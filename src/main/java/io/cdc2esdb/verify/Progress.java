package io.cdc2esdb.verify;

import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress of a long pass on the terminal, with me.tongfei:progressbar (rate, ETA, a steady
 * rendering on terminals and in logs), or nothing at all.
 */
public final class Progress {

  private final PrintStream out;

  private Progress(PrintStream out) {
    this.out = out;
  }

  /** Bars on {@code out}. */
  public static Progress on(PrintStream out) {
    return new Progress(out);
  }

  /** No bars. */
  public static Progress none() {
    return new Progress(null);
  }

  /** A bar for one pass; {@code total} below 0 when unknown. */
  Bar bar(String task, long total) {
    if (out == null) {
      return new Bar(null);
    }
    return new Bar(
        new ProgressBarBuilder()
            .setTaskName(task)
            .setInitialMax(total)
            .setStyle(ProgressBarStyle.ASCII)
            .setUpdateIntervalMillis(500)
            .showSpeed()
            .setConsumer(new ConsoleProgressBarConsumer(out, 100))
            .build());
  }

  /** One pass's bar; closing it prints its final state. */
  static final class Bar implements AutoCloseable {
    private final ProgressBar bar;

    private Bar(ProgressBar bar) {
      this.bar = bar;
    }

    void step(long n) {
      if (bar != null && n > 0) {
        bar.stepBy(n);
      }
    }

    @Override
    public void close() {
      if (bar != null) {
        bar.close();
      }
    }
  }
}
