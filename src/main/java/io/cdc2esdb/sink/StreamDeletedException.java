package io.cdc2esdb.sink;

/** A read of a tombstoned stream. */
public class StreamDeletedException extends EventStoreException {
  private static final long serialVersionUID = 1L;
  private final String stream;

  public StreamDeletedException(String stream) {
    super("Event stream '" + stream + "' is deleted.");
    this.stream = stream;
  }

  public String stream() {
    return stream;
  }
}
