package io.cdc2esdb.app;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;

/**
 * What to do when a stream thread fails: replace it (its tasks restart from their last commit, and
 * replays are harmless by design), unless threads keep failing. More than {@code maxFailures}
 * within {@code window} means replacing does not help (a store lock the dead thread still holds, a
 * broken installation): then the client shuts down, {@code run} exits with {@link
 * ExitCodes#FAILED}, and whatever supervises the process starts it afresh.
 */
final class ThreadFailures {

  static final int MAX_FAILURES = 5;
  static final Duration WINDOW = Duration.ofMinutes(1);

  private final int maxFailures;
  private final long windowNanos;
  private final LongSupplier nanoClock;
  private final Deque<Long> recent = new ArrayDeque<>();

  ThreadFailures() {
    this(MAX_FAILURES, WINDOW, System::nanoTime);
  }

  ThreadFailures(int maxFailures, Duration window, LongSupplier nanoClock) {
    this.maxFailures = maxFailures;
    this.windowNanos = window.toNanos();
    this.nanoClock = nanoClock;
  }

  /** Records a failure now and says whether to replace the thread or shut the client down. */
  synchronized StreamThreadExceptionResponse failed() {
    long now = nanoClock.getAsLong();
    recent.addLast(now);
    while (now - recent.peekFirst() > windowNanos) {
      recent.removeFirst();
    }
    return recent.size() > maxFailures
        ? StreamThreadExceptionResponse.SHUTDOWN_CLIENT
        : StreamThreadExceptionResponse.REPLACE_THREAD;
  }

  /** Failures within the window, the last one included. */
  synchronized int recent() {
    return recent.size();
  }
}
