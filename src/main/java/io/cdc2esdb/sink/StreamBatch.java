package io.cdc2esdb.sink;

import io.cdc2esdb.event.ProposedEvent;
import java.util.List;

/** A flush's events for one stream, in order, and the revision the stream is expected to be at. */
public record StreamBatch(String stream, long expectedRevision, List<ProposedEvent> events) {
  public StreamBatch {
    events = List.copyOf(events);
  }
}
