package io.cdc2esdb.event;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdc2esdb.envelope.Json;
import io.cdc2esdb.envelope.Origin;
import io.cdc2esdb.envelope.SourcePosition;
import io.cdc2esdb.envelope.TransactionRef;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * What an event's metadata says, as fields: {@link #json()} writes the JSON object EventStoreDB
 * stores, and a writer that needs the metadata as fields (v2 record properties) reads them here
 * instead of parsing that JSON again.
 *
 * <p>The JSON: {@code $correlationId}; {@code transaction} ({@code id}, {@code totalOrder}, {@code
 * dataCollectionOrder}, {@code eventCount}, which is {@code null} when unknown) when the change has
 * one; {@code source} ({@code connector}, {@code server}, {@code db}, {@code table}, {@code file},
 * {@code pos}, {@code row}, {@code gtid}, {@code tsMs}, {@code snapshot}, and {@code ordinal} when
 * the position has one); {@code kafka} ({@code topic}, {@code partition}, {@code offset}, {@code
 * timestamp}); {@code key}, the primary-key columns or {@code null}.
 *
 * @param eventCount the number of events in the change's transaction, or {@code null} when unknown
 * @param transaction the change's transaction, or {@code null}
 * @param key the primary-key columns, or {@code null}; owned by the event, not to be mutated
 */
public record EventMetadata(
    String correlationId,
    TransactionRef transaction,
    Long eventCount,
    SourcePosition source,
    Origin origin,
    ObjectNode key) {

  /** The metadata as the JSON object described above, written field by field. */
  public byte[] json() {
    ByteArrayBuilder out = new ByteArrayBuilder(512);
    try (JsonGenerator json = Json.MAPPER.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("$correlationId", correlationId);
      if (transaction != null) {
        json.writeObjectFieldStart("transaction");
        json.writeStringField("id", transaction.id());
        json.writeNumberField("totalOrder", transaction.totalOrder());
        json.writeNumberField("dataCollectionOrder", transaction.dataCollectionOrder());
        json.writeFieldName("eventCount");
        if (eventCount == null) {
          json.writeNull();
        } else {
          json.writeNumber(eventCount);
        }
        json.writeEndObject();
      }
      SourcePosition s = source;
      json.writeObjectFieldStart("source");
      json.writeStringField("connector", s.connector());
      json.writeStringField("server", s.server());
      json.writeStringField("db", s.db());
      json.writeStringField("table", s.table());
      json.writeStringField("file", s.file());
      json.writeNumberField("pos", s.pos());
      json.writeNumberField("row", s.row());
      json.writeStringField("gtid", s.gtid());
      json.writeNumberField("tsMs", s.tsMs());
      json.writeBooleanField("snapshot", s.readBySnapshot());
      if (s.ordinal() != SourcePosition.NO_ORDINAL) {
        json.writeNumberField("ordinal", s.ordinal());
      }
      json.writeEndObject();
      json.writeObjectFieldStart("kafka");
      json.writeStringField("topic", origin.topic());
      json.writeNumberField("partition", origin.partition());
      json.writeNumberField("offset", origin.offset());
      json.writeNumberField("timestamp", origin.timestamp());
      json.writeEndObject();
      json.writeFieldName("key");
      if (key == null) {
        json.writeNull();
      } else {
        json.writeTree(key);
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
