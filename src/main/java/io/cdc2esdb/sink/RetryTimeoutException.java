package io.cdc2esdb.sink;

import java.time.Duration;

/**
 * EventStoreDB stayed unavailable for longer than {@code esdb.retry.timeout.ms} while appending to
 * a stream. Nothing of the failed append is recorded as written; the task fails and its events are
 * appended again after the restart.
 */
public final class RetryTimeoutException extends EventStoreUnavailableException {
  private static final long serialVersionUID = 1L;

  private final String stream;
  private final Duration elapsed;

  public RetryTimeoutException(String stream, Duration elapsed, Throwable lastFailure) {
    super(
        "EventStoreDB unavailable for "
            + elapsed.toSeconds()
            + " s while appending to '"
            + stream
            + "' (esdb.retry.timeout.ms); last failure: "
            + lastFailure.getMessage(),
        lastFailure);
    this.stream = stream;
    this.elapsed = elapsed;
  }

  public String stream() {
    return stream;
  }

  /** How long the append was retried before giving up. */
  public Duration elapsed() {
    return elapsed;
  }
}
