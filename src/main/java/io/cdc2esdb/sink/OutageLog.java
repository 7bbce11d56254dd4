package io.cdc2esdb.sink;

import java.time.Duration;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says what an EventStoreDB outage looks like in a few lines instead of one per failed call: one
 * line when the server becomes unreachable, one summary every {@code summaryEvery} while it stays
 * so, one line when it answers again. Thread-safe: calls complete on any thread.
 */
final class OutageLog {

  private static final Logger LOG = LoggerFactory.getLogger(OutageLog.class);

  /** Where the lines go: the log, or a test's list. */
  interface Lines {
    void warn(String line);

    void info(String line);
  }

  private static final Lines LOGGED =
      new Lines() {
        @Override
        public void warn(String line) {
          LOG.warn(line);
        }

        @Override
        public void info(String line) {
          LOG.info(line);
        }
      };

  private final String target;
  private final Duration summaryEvery;
  private final LongSupplier clockMs;
  private final Lines lines;
  private volatile long downSinceMs = -1;
  private long lastSummaryMs;
  private long failures;
  private String lastError;

  OutageLog(String target, Duration summaryEvery, LongSupplier clockMs, Lines lines) {
    this.target = target;
    this.summaryEvery = summaryEvery;
    this.clockMs = clockMs;
    this.lines = lines;
  }

  OutageLog(String target) {
    this(target, Duration.ofSeconds(30), System::currentTimeMillis, LOGGED);
  }

  /** A call failed for a reason that may heal (unreachable, deadline, not ready). */
  synchronized void failed(String error) {
    long now = clockMs.getAsLong();
    failures++;
    lastError = error;
    if (downSinceMs < 0) {
      downSinceMs = now;
      lastSummaryMs = now;
      lines.warn(
          "EventStoreDB at "
              + target
              + " is unreachable ("
              + error
              + "); retrying, changes wait in the pending buffer");
      return;
    }
    if (now - lastSummaryMs >= summaryEvery.toMillis()) {
      lastSummaryMs = now;
      lines.warn(
          "EventStoreDB at "
              + target
              + " still unreachable after "
              + (now - downSinceMs) / 1000
              + " s: "
              + failures
              + " calls failed, last: "
              + lastError);
    }
  }

  /** A call was answered: if the server was unreachable, it is back. */
  void answered() {
    if (downSinceMs < 0) {
      return; // the common case, without taking the lock
    }
    synchronized (this) {
      if (downSinceMs < 0) {
        return;
      }
      lines.info(
          "EventStoreDB at "
              + target
              + " is reachable again after "
              + (clockMs.getAsLong() - downSinceMs) / 1000
              + " s ("
              + failures
              + " calls failed meanwhile)");
      downSinceMs = -1;
      failures = 0;
    }
  }

  synchronized boolean down() {
    return downSinceMs >= 0;
  }
}
