package io.cdc2esdb.sink;

import io.cdc2esdb.error.DeadLetterCode;
import io.cdc2esdb.error.DeadLetterException;
import java.util.UUID;

/** EventStoreDB refused one event for a reason of its own (it names it). */
public final class EventRejectedException extends DeadLetterException {
  private static final long serialVersionUID = 1L;

  private final String stream;
  private final UUID eventId;
  private final String serverReason;

  public EventRejectedException(String stream, UUID eventId, String serverReason) {
    super(
        DeadLetterCode.REJECTED,
        "EventStoreDB refused event " + eventId + " for stream '" + stream + "': " + serverReason);
    this.stream = stream;
    this.eventId = eventId;
    this.serverReason = serverReason;
  }

  public String stream() {
    return stream;
  }

  public UUID eventId() {
    return eventId;
  }

  public String serverReason() {
    return serverReason;
  }
}
