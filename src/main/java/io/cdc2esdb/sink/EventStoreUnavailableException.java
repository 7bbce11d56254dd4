package io.cdc2esdb.sink;

/**
 * A failure that may heal by itself (server unavailable, deadline exceeded, aborted, not leader):
 * worth retrying with backoff.
 */
public class EventStoreUnavailableException extends EventStoreException {
  private static final long serialVersionUID = 1L;

  public EventStoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
