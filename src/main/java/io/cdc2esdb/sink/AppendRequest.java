package io.cdc2esdb.sink;

import io.cdc2esdb.event.ProposedEvent;
import java.util.List;
import java.util.Objects;

/**
 * One append: events for one stream, with the exact revision the stream must be at. {@code
 * expectedRevision} is the revision of the stream's last event, or {@link #NO_STREAM} for a stream
 * that must not exist yet. cdc2esdb never appends with "any": the server's idempotency for "any" is
 * a best-effort cache.
 */
public record AppendRequest(String stream, long expectedRevision, List<ProposedEvent> events) {

  public static final long NO_STREAM = -1;

  public AppendRequest {
    Objects.requireNonNull(stream, "stream");
    if (expectedRevision < NO_STREAM) {
      throw new IllegalArgumentException("expectedRevision must be >= -1, was " + expectedRevision);
    }
    events = List.copyOf(events);
    if (events.isEmpty()) {
      throw new IllegalArgumentException("an append needs at least one event");
    }
  }

  public long appendSize() {
    return events.stream().mapToLong(ProposedEvent::appendSize).sum();
  }
}
