package io.cdc2esdb.event;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdc2esdb.envelope.ChangeEvent;
import io.cdc2esdb.envelope.Json;
import io.cdc2esdb.envelope.Operation;
import io.cdc2esdb.naming.CorrelationIds;
import io.cdc2esdb.naming.EventIds;
import io.cdc2esdb.naming.EventTypes;

/**
 * Turns a change into the event EventStoreDB stores: deterministic id, type by operation, data as
 * configured, and metadata ({@link EventMetadata}) that carries the transaction ({@code
 * $correlationId}), the source position, the Kafka record and the primary key. Pure: no Kafka
 * Streams, no client.
 */
public final class EventMapper {

  private final EventTypes types;
  private final EventData dataMode;

  public EventMapper(EventTypes types, EventData dataMode) {
    this.types = types;
    this.dataMode = dataMode;
  }

  /**
   * @param eventCount the number of events in the change's transaction (from its END), or {@code
   *     null} when unknown
   */
  public ProposedEvent map(ChangeEvent event, Long eventCount) {
    EventMetadata metadata =
        new EventMetadata(
            CorrelationIds.correlationId(event),
            event.transaction(),
            event.transaction() == null ? null : eventCount,
            event.source(),
            event.origin(),
            event.key());
    return new ProposedEvent(
        EventIds.eventId(event), types.typeOf(event.op()), data(event), metadata.json(), metadata);
  }

  /** The event's data as JSON: a row or payload as read is copied, not written again. */
  byte[] data(ChangeEvent event) {
    return switch (dataMode) {
      case ROW -> {
        byte[] row = event.op() == Operation.DELETE ? event.beforeBytes() : event.afterBytes();
        yield row == null ? Json.bytes(Json.object()) : row;
      }
      case CHANGE -> {
        ObjectNode change = Json.object();
        change.set("before", event.before());
        change.set("after", event.after());
        yield Json.bytes(change);
      }
      case ENVELOPE -> event.payloadBytes();
    };
  }
}
