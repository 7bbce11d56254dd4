package io.cdc2esdb.sink;

/** A failure talking to EventStoreDB that is not one of the server's ordinary answers. */
public class EventStoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public EventStoreException(String message, Throwable cause) {
    super(message, cause);
  }

  public EventStoreException(String message) {
    super(message);
  }
}
