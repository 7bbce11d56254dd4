package io.cdc2esdb.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.UnsafeByteOperations;
import com.google.protobuf.Value;
import io.cdc2esdb.envelope.Json;
import io.cdc2esdb.envelope.SourcePosition;
import io.cdc2esdb.event.EventMetadata;
import io.cdc2esdb.event.ProposedEvent;
import io.kurrentdb.protocol.v2.streams.AppendRecord;
import io.kurrentdb.protocol.v2.streams.SchemaFormat;
import io.kurrentdb.protocol.v2.streams.SchemaInfo;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * cdc2esdb's events as v2 {@code AppendRecord}s: the event id as {@code record_id} (so replays are
 * recognised), the type as the JSON schema's name, the data as it is, and the metadata JSON object
 * as structured properties (see {@link EsdbGrpcWriter} for what a reader then sees).
 */
final class SessionRecords {

  /** Integers beyond this lose digits as a protobuf double: they are sent as strings. */
  private static final long EXACT_DOUBLE = 1L << 53;

  private static final Value NULL = Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build();

  private SessionRecords() {}

  static io.kurrentdb.protocol.v2.streams.AppendRequest request(AppendRequest request) {
    var builder =
        io.kurrentdb.protocol.v2.streams.AppendRequest.newBuilder()
            .setStream(request.stream())
            .setExpectedRevision(request.expectedRevision());
    for (ProposedEvent event : request.events()) {
      builder.addRecords(record(event));
    }
    return builder.build();
  }

  static AppendRecord record(ProposedEvent event) {
    AppendRecord.Builder record =
        AppendRecord.newBuilder()
            .setRecordId(event.id().toString())
            .setSchema(
                SchemaInfo.newBuilder()
                    .setFormat(SchemaFormat.SCHEMA_FORMAT_JSON)
                    .setName(event.type()))
            .setData(UnsafeByteOperations.unsafeWrap(event.data()));
    if (event.metadataFields() != null) {
      record.putAllProperties(properties(event.metadataFields()));
      return record.build();
    }
    JsonNode metadata;
    try {
      metadata = Json.read(event.metadata());
    } catch (IOException e) {
      throw new IllegalArgumentException("metadata of event " + event.id() + " is not JSON", e);
    }
    for (Map.Entry<String, JsonNode> field : metadata.properties()) {
      record.putProperties(field.getKey(), value(field.getValue()));
    }
    return record.build();
  }

  /** The properties {@link #value} makes of the JSON {@link EventMetadata#json()} writes. */
  static Map<String, Value> properties(EventMetadata m) {
    Map<String, Value> properties = new LinkedHashMap<>();
    properties.put("$correlationId", text(m.correlationId()));
    if (m.transaction() != null) {
      properties.put(
          "transaction",
          struct(
              Struct.newBuilder()
                  .putFields("id", text(m.transaction().id()))
                  .putFields("totalOrder", number(m.transaction().totalOrder()))
                  .putFields("dataCollectionOrder", number(m.transaction().dataCollectionOrder()))
                  .putFields(
                      "eventCount", m.eventCount() == null ? NULL : number(m.eventCount()))));
    }
    SourcePosition s = m.source();
    Struct.Builder source =
        Struct.newBuilder()
            .putFields("connector", text(s.connector()))
            .putFields("server", text(s.server()))
            .putFields("db", text(s.db()))
            .putFields("table", text(s.table()))
            .putFields("file", text(s.file()))
            .putFields("pos", number(s.pos()))
            .putFields("row", number(s.row()))
            .putFields("gtid", text(s.gtid()))
            .putFields("tsMs", number(s.tsMs()))
            .putFields("snapshot", Value.newBuilder().setBoolValue(s.readBySnapshot()).build());
    if (s.ordinal() != SourcePosition.NO_ORDINAL) {
      source.putFields("ordinal", number(s.ordinal()));
    }
    properties.put("source", struct(source));
    properties.put(
        "kafka",
        struct(
            Struct.newBuilder()
                .putFields("topic", text(m.origin().topic()))
                .putFields("partition", number(m.origin().partition()))
                .putFields("offset", number(m.origin().offset()))
                .putFields("timestamp", number(m.origin().timestamp()))));
    properties.put("key", value(m.key()));
    return properties;
  }

  private static Value text(String text) {
    return text == null ? NULL : Value.newBuilder().setStringValue(text).build();
  }

  private static Value number(long number) {
    return number > EXACT_DOUBLE || number < -EXACT_DOUBLE
        ? Value.newBuilder().setStringValue(Long.toString(number)).build()
        : Value.newBuilder().setNumberValue(number).build();
  }

  private static Value struct(Struct.Builder struct) {
    return Value.newBuilder().setStructValue(struct).build();
  }

  static Value value(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return NULL;
    }
    if (node.isTextual()) {
      return Value.newBuilder().setStringValue(node.textValue()).build();
    }
    if (node.isBoolean()) {
      return Value.newBuilder().setBoolValue(node.booleanValue()).build();
    }
    if (node.isIntegralNumber()) {
      return node.canConvertToLong()
          ? number(node.longValue())
          : text(node.bigIntegerValue().toString());
    }
    if (node.isNumber()) {
      return Value.newBuilder().setNumberValue(node.doubleValue()).build();
    }
    if (node.isArray()) {
      ListValue.Builder list = ListValue.newBuilder();
      node.forEach(item -> list.addValues(value(item)));
      return Value.newBuilder().setListValue(list).build();
    }
    Struct.Builder struct = Struct.newBuilder();
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      struct.putFields(field.getKey(), value(field.getValue()));
    }
    return Value.newBuilder().setStructValue(struct).build();
  }
}
