package io.cdc2esdb.dev.app;

/** Prints cdc2esdb's progress whenever it changed since the last line. */
final class ProgressPrinter {

  private final DemoConsole console;
  private final LocalPipeline pipeline;
  private String last = "";
  private Backlog.Progress lastProgress = new Backlog.Progress(0, 0, 0, 0, false);

  ProgressPrinter(DemoConsole console, LocalPipeline pipeline) {
    this.console = console;
    this.pipeline = pipeline;
  }

  void show(Backlog.Progress progress) {
    lastProgress = progress;
    String line =
        String.format(
            "change records: %d of %d committed; %s buffered; %s events written",
            progress.read(),
            progress.read() + progress.behind(),
            progress.pending() < 0 ? "?" : progress.pending(),
            progress.written() < 0 ? "?" : progress.written());
    if (!line.equals(last)) {
      console.step("%s", line);
      last = line;
    }
  }

  /** Measures and shows; a failed measurement is shown, not thrown: the demo keeps running. */
  void poll() {
    try {
      show(pipeline.progress());
    } catch (RuntimeException e) {
      console.step("progress unavailable: %s", e.getMessage());
    }
  }

  Backlog.Progress last() {
    return lastProgress;
  }
}
