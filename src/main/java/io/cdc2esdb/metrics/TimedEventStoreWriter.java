package io.cdc2esdb.metrics;

import io.cdc2esdb.event.ProposedEvent;
import io.cdc2esdb.sink.AppendRequest;
import io.cdc2esdb.sink.AppendResult;
import io.cdc2esdb.sink.EventStoreUnavailableException;
import io.cdc2esdb.sink.EventStoreWriter;
import io.cdc2esdb.sink.SessionResult;
import io.cdc2esdb.sink.StoredEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Times every append (per stream and multi-stream) through the {@link EventStoreWriter} port; every
 * method of the port is passed through, so wrapping hides no capability of the writer. It times
 * appends by outcome, so the append path itself needs no metrics code: {@code
 * cdc2esdb_append_seconds} (a histogram) with tag {@code outcome} = {@code success}, {@code
 * wrong-expected-version}, {@code stream-deleted}, {@code rejected}, {@code unavailable} or {@code
 * failed}. It also remembers whether the last call reached the server, which readiness reports.
 */
final class TimedEventStoreWriter implements EventStoreWriter {

  static final String APPEND_TIMER = "cdc2esdb.append";

  private final EventStoreWriter delegate;
  private final MeterRegistry registry;

  /** Each outcome's timer, looked up once: appends are too many to build and register per call. */
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();

  private final ClassValue<String> outcomes =
      new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> type) {
          return outcome(type);
        }
      };

  TimedEventStoreWriter(EventStoreWriter delegate, MeterRegistry registry) {
    this.delegate = delegate;
    this.registry = registry;
    // Present from start-up, at zero: a scrape before the first append sees the series, not a gap.
    timer("success");
  }

  @Override
  public CompletableFuture<AppendResult> append(AppendRequest request) {
    long start = System.nanoTime();
    return delegate
        .append(request)
        .whenComplete(
            (result, failure) ->
                timer(result != null ? outcomes.get(result.getClass()) : failureOutcome(failure))
                    .record(System.nanoTime() - start, TimeUnit.NANOSECONDS));
  }

  /** A multi-stream append (one database transaction or more), timed like a single append. */
  @Override
  public CompletableFuture<SessionResult> appendSession(List<AppendRequest> requests) {
    long start = System.nanoTime();
    return delegate
        .appendSession(requests)
        .whenComplete(
            (result, failure) ->
                timer(result != null ? outcomes.get(result.getClass()) : failureOutcome(failure))
                    .record(System.nanoTime() - start, TimeUnit.NANOSECONDS));
  }

  @Override
  public CompletableFuture<Boolean> supportsAppendSession() {
    return delegate.supportsAppendSession();
  }

  private Timer timer(String outcome) {
    return timers.computeIfAbsent(
        outcome,
        o ->
            Timer.builder(APPEND_TIMER)
                .description("Appends to EventStoreDB (per stream or multi-stream), by outcome")
                .tag("outcome", o)
                .publishPercentileHistogram()
                .register(registry));
  }

  /** {@code WrongExpectedVersion} -> {@code wrong-expected-version}: any result type gets a tag. */
  static String outcome(Object result) {
    return outcome(result.getClass());
  }

  private static String outcome(Class<?> type) {
    return type.getSimpleName().replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
  }

  private static String failureOutcome(Throwable failure) {
    Throwable cause =
        failure instanceof CompletionException && failure.getCause() != null
            ? failure.getCause()
            : failure;
    return cause instanceof EventStoreUnavailableException ? "unavailable" : "failed";
  }

  @Override
  public CompletableFuture<List<StoredEvent>> read(String stream, long fromRevision, int maxCount) {
    return delegate.read(stream, fromRevision, maxCount);
  }

  @Override
  public long maxAppendBytes() {
    return delegate.maxAppendBytes();
  }

  @Override
  public long appendSize(ProposedEvent event) {
    return delegate.appendSize(event);
  }

  @Override
  public void close() {
    delegate.close();
  }
}
