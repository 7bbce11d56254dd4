package io.cdc2esdb.sink;

import io.cdc2esdb.error.DeadLetterCode;
import io.cdc2esdb.error.DeadLetterException;

/** An append to a tombstoned (hard-deleted) stream, which can never be written again. */
public final class StreamTombstonedException extends DeadLetterException {
  private static final long serialVersionUID = 1L;

  private final String stream;

  public StreamTombstonedException(String stream) {
    super(DeadLetterCode.STREAM_DELETED, "stream '" + stream + "' is tombstoned");
    this.stream = stream;
  }

  public String stream() {
    return stream;
  }
}
