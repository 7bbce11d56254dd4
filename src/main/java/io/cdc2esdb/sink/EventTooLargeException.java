package io.cdc2esdb.sink;

import io.cdc2esdb.error.DeadLetterCode;
import io.cdc2esdb.error.DeadLetterException;
import java.util.UUID;

/** An event larger than one append may be ({@code esdb.max.append.bytes}). */
public final class EventTooLargeException extends DeadLetterException {
  private static final long serialVersionUID = 1L;

  private final String stream;
  private final UUID eventId;
  private final long size;
  private final long maxSize;

  public EventTooLargeException(String stream, UUID eventId, long size, long maxSize) {
    super(
        DeadLetterCode.EVENT_TOO_LARGE,
        "event "
            + eventId
            + " for stream '"
            + stream
            + "' is "
            + size
            + " bytes, over the append limit of "
            + maxSize
            + " bytes (esdb.max.append.bytes)");
    this.stream = stream;
    this.eventId = eventId;
    this.size = size;
    this.maxSize = maxSize;
  }

  public String stream() {
    return stream;
  }

  public UUID eventId() {
    return eventId;
  }

  public long size() {
    return size;
  }

  public long maxSize() {
    return maxSize;
  }
}
