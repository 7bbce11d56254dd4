package io.cdc2esdb.event;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdc2esdb.envelope.ChangeEvent;
import io.cdc2esdb.envelope.Json;
import io.cdc2esdb.envelope.Operation;
import io.cdc2esdb.envelope.SourcePosition;
import io.cdc2esdb.naming.CorrelationIds;
import io.cdc2esdb.naming.EventIds;
import io.cdc2esdb.naming.EventTypes;

/**
 * Turns a change into the event EventStoreDB stores: deterministic id, type by operation, data as
 * configured, and metadata that carries the transaction ({@code $correlationId}), the source
 * position, the Kafka record and the primary key. Pure: no Kafka Streams, no client.
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
    ObjectNode metadata = metadata(event, eventCount);
    return new ProposedEvent(
        EventIds.eventId(event),
        types.typeOf(event.op()),
        data(event),
        Json.bytes(metadata),
        metadata);
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

  ObjectNode metadata(ChangeEvent event, Long eventCount) {
    ObjectNode meta = Json.object();
    meta.put("$correlationId", CorrelationIds.correlationId(event));
    if (event.transaction() != null) {
      ObjectNode txn = meta.putObject("transaction");
      txn.put("id", event.transaction().id());
      txn.put("totalOrder", event.transaction().totalOrder());
      txn.put("dataCollectionOrder", event.transaction().dataCollectionOrder());
      if (eventCount == null) {
        txn.putNull("eventCount");
      } else {
        txn.put("eventCount", eventCount);
      }
    }
    SourcePosition s = event.source();
    ObjectNode source = meta.putObject("source");
    source.put("connector", s.connector());
    source.put("server", s.server());
    source.put("db", s.db());
    source.put("table", s.table());
    source.put("file", s.file());
    source.put("pos", s.pos());
    source.put("row", s.row());
    source.put("gtid", s.gtid());
    source.put("tsMs", s.tsMs());
    source.put("snapshot", s.readBySnapshot());
    if (s.ordinal() != SourcePosition.NO_ORDINAL) {
      source.put("ordinal", s.ordinal());
    }
    ObjectNode kafka = meta.putObject("kafka");
    kafka.put("topic", event.origin().topic());
    kafka.put("partition", event.origin().partition());
    kafka.put("offset", event.origin().offset());
    kafka.put("timestamp", event.origin().timestamp());
    meta.set("key", event.key());
    return meta;
  }
}
