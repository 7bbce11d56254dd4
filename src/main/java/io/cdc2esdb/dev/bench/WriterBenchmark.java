package io.cdc2esdb.dev.bench;

import io.cdc2esdb.event.ProposedEvent;
import io.cdc2esdb.sink.AppendRequest;
import io.cdc2esdb.sink.AppendResult;
import io.cdc2esdb.sink.EventStoreWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * Measures an {@link EventStoreWriter}: appends per second, events per second and append latency
 * for a number of events per append and a number of appends in flight. Each append in flight is a
 * lane writing its own stream, one append after another with the exact expected revision, as the
 * pipeline does; the lanes run for a warm-up, then for the measured window.
 */
public final class WriterBenchmark {

  /** One cell of the matrix. */
  public record Scenario(int eventsPerAppend, int inFlight) {}

  /** Event sizes and the time spent per scenario. */
  public record Settings(Duration warmup, Duration measure, int dataBytes, int metadataBytes) {
    public static Settings defaults() {
      return new Settings(Duration.ofSeconds(2), Duration.ofSeconds(5), 400, 300);
    }
  }

  /** What one scenario achieved against one target. */
  public record Result(
      String target,
      Scenario scenario,
      long appends,
      long events,
      double seconds,
      double p50Millis,
      double p99Millis,
      double serverCpuMicrosPerEvent) {

    public double appendsPerSecond() {
      return appends / seconds;
    }

    public double eventsPerSecond() {
      return events / seconds;
    }
  }

  private WriterBenchmark() {}

  /** 1 and 100 events per append, with 1, 16 and 64 appends in flight. */
  public static List<Scenario> matrix() {
    return matrix(List.of(1, 100));
  }

  /** The given events per append, each with 1, 16 and 64 appends in flight. */
  public static List<Scenario> matrix(List<Integer> eventsPerAppend) {
    List<Scenario> scenarios = new ArrayList<>();
    for (int events : eventsPerAppend) {
      for (int inFlight : new int[] {1, 16, 64}) {
        scenarios.add(new Scenario(events, inFlight));
      }
    }
    return scenarios;
  }

  /** Runs one scenario; {@code runId} keeps its streams apart from every other run's. */
  public static Result run(
      String target, EventStoreWriter writer, Scenario scenario, Settings settings, String runId)
      throws InterruptedException {
    return run(target, writer, scenario, settings, runId, null);
  }

  /**
   * Runs one scenario, also measuring the server's CPU time over the measured window when {@code
   * serverCpuNanos} (a running total) is given.
   */
  public static Result run(
      String target,
      EventStoreWriter writer,
      Scenario scenario,
      Settings settings,
      String runId,
      LongSupplier serverCpuNanos)
      throws InterruptedException {
    long start = System.nanoTime();
    long measureFrom = start + settings.warmup().toNanos();
    long measureTo = measureFrom + settings.measure().toNanos();
    // Samples the server's CPU at the window's edges, whatever thread the lanes run on.
    long[] cpuWindow = new long[2];
    Thread cpu = null;
    if (serverCpuNanos != null) {
      cpu =
          new Thread(
              () -> {
                try {
                  sleepUntil(measureFrom);
                  cpuWindow[0] = serverCpuNanos.getAsLong();
                  sleepUntil(measureTo);
                  cpuWindow[1] = serverCpuNanos.getAsLong();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "bench-cpu-sampler");
      cpu.setDaemon(true);
      cpu.start();
    }
    CountDownLatch done = new CountDownLatch(scenario.inFlight());
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Lane> lanes = new ArrayList<>();
    for (int i = 0; i < scenario.inFlight(); i++) {
      Lane lane =
          new Lane(
              writer,
              runId + "-" + i,
              scenario.eventsPerAppend(),
              settings,
              measureFrom,
              measureTo,
              done,
              failure);
      lanes.add(lane);
      lane.next();
    }
    if (cpu != null) {
      cpu.join();
    }
    if (!done.await(
        settings.warmup().plus(settings.measure()).toSeconds() + 60, TimeUnit.SECONDS)) {
      throw new IllegalStateException(target + " " + scenario + " did not finish");
    }
    if (failure.get() != null) {
      throw new IllegalStateException(target + " " + scenario + " failed", failure.get());
    }
    long appends = 0;
    List<long[]> latencies = new ArrayList<>();
    for (Lane lane : lanes) {
      appends += lane.measured;
      latencies.add(Arrays.copyOf(lane.latencies, lane.measured));
    }
    long[] all = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
    long events = appends * scenario.eventsPerAppend();
    return new Result(
        target,
        scenario,
        appends,
        events,
        settings.measure().toNanos() / 1e9,
        percentile(all, 0.50),
        percentile(all, 0.99),
        serverCpuNanos == null || events == 0
            ? Double.NaN
            : (cpuWindow[1] - cpuWindow[0]) / 1e3 / events);
  }

  private static void sleepUntil(long nanoTime) throws InterruptedException {
    long left = nanoTime - System.nanoTime();
    if (left > 0) {
      TimeUnit.NANOSECONDS.sleep(left);
    }
  }

  /** The results as a Markdown table. */
  public static String markdown(List<Result> results) {
    StringBuilder table =
        new StringBuilder(
            "| target | events/append | in flight | appends/s | events/s | p50 ms | p99 ms |"
                + " emulator CPU µs/event |\n"
                + "|---|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Result r : results) {
      table.append(
          String.format(
              Locale.ROOT,
              "| %s | %d | %d | %,.0f | %,.0f | %.2f | %.2f | %s |%n",
              r.target(),
              r.scenario().eventsPerAppend(),
              r.scenario().inFlight(),
              r.appendsPerSecond(),
              r.eventsPerSecond(),
              r.p50Millis(),
              r.p99Millis(),
              Double.isNaN(r.serverCpuMicrosPerEvent())
                  ? "-"
                  : String.format(Locale.ROOT, "%.1f", r.serverCpuMicrosPerEvent())));
    }
    return table.toString();
  }

  private static double percentile(long[] sortedNanos, double quantile) {
    if (sortedNanos.length == 0) {
      return Double.NaN;
    }
    int index =
        (int) Math.min(sortedNanos.length - 1, Math.ceil(quantile * sortedNanos.length) - 1);
    return sortedNanos[Math.max(index, 0)] / 1e6;
  }

  /** One append in flight: appends to its stream, one after another, until the window closes. */
  private static final class Lane {
    private final EventStoreWriter writer;
    private final String stream;
    private final int eventsPerAppend;
    private final long measureFrom;
    private final long measureTo;
    private final CountDownLatch done;
    private final AtomicReference<Throwable> failure;
    private final byte[] data;
    private final byte[] metadata;
    private final long idPrefix = UUID.randomUUID().getMostSignificantBits();
    private long[] latencies = new long[1024];
    private int measured;
    private long expected = AppendRequest.NO_STREAM;
    private long sequence;

    Lane(
        EventStoreWriter writer,
        String stream,
        int eventsPerAppend,
        Settings settings,
        long measureFrom,
        long measureTo,
        CountDownLatch done,
        AtomicReference<Throwable> failure) {
      this.writer = writer;
      this.stream = stream;
      this.eventsPerAppend = eventsPerAppend;
      this.measureFrom = measureFrom;
      this.measureTo = measureTo;
      this.done = done;
      this.failure = failure;
      this.data = json(settings.dataBytes(), "row");
      this.metadata = json(settings.metadataBytes(), "$correlationId");
    }

    /** Appends until the window closes; loops while answers come back synchronously. */
    void next() {
      while (true) {
        if (System.nanoTime() >= measureTo || failure.get() != null) {
          done.countDown();
          return;
        }
        long started = System.nanoTime();
        CompletableFuture<AppendResult> answer = writer.append(request());
        if (!answer.isDone()) {
          answer.whenComplete(
              (result, error) -> {
                if (completed(started, result, error)) {
                  next();
                }
              });
          return;
        }
        if (!completed(started, answer.getNow(null), null)) {
          return;
        }
      }
    }

    private boolean completed(long started, AppendResult result, Throwable error) {
      long finished = System.nanoTime();
      if (error != null || !(result instanceof AppendResult.Success success)) {
        failure.compareAndSet(
            null, error != null ? error : new IllegalStateException("append answered " + result));
        done.countDown();
        return false;
      }
      expected = success.lastRevision();
      if (finished >= measureFrom && finished <= measureTo) {
        if (measured == latencies.length) {
          latencies = Arrays.copyOf(latencies, measured * 2);
        }
        latencies[measured++] = finished - started;
      }
      return true;
    }

    private AppendRequest request() {
      List<ProposedEvent> events = new ArrayList<>(eventsPerAppend);
      for (int i = 0; i < eventsPerAppend; i++) {
        events.add(new ProposedEvent(new UUID(idPrefix, sequence++), "Update", data, metadata));
      }
      return new AppendRequest(stream, expected, events);
    }

    /** A JSON object of about {@code size} bytes, shaped like cdc2esdb's data and metadata. */
    private static byte[] json(int size, String key) {
      String prefix = "{\"" + key + "\":\"";
      String suffix = "\"}";
      return (prefix + "x".repeat(Math.max(0, size - prefix.length() - suffix.length())) + suffix)
          .getBytes(StandardCharsets.UTF_8);
    }
  }
}
