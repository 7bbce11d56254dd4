package io.cdc2esdb.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.UnsafeByteOperations;
import com.google.protobuf.Value;
import io.cdc2esdb.envelope.Json;
import io.cdc2esdb.event.ProposedEvent;
import io.kurrentdb.protocol.v2.streams.AppendRecord;
import io.kurrentdb.protocol.v2.streams.SchemaFormat;
import io.kurrentdb.protocol.v2.streams.SchemaInfo;
import java.io.IOException;
import java.math.BigInteger;
import java.util.Map;

/**
 * cdc2esdb's events as v2 {@code AppendRecord}s: the event id as {@code record_id} (so replays are
 * recognised), the type as the JSON schema's name, the data as it is, and the metadata JSON object
 * as structured properties (see {@link EsdbGrpcWriter} for what a reader then sees).
 */
final class SessionRecords {

  /** Integers beyond this lose digits as a protobuf double: they are sent as strings. */
  private static final long EXACT_DOUBLE = 1L << 53;

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
    JsonNode metadata = event.metadataTree();
    if (metadata == null) {
      try {
        metadata = Json.read(event.metadata());
      } catch (IOException e) {
        throw new IllegalArgumentException("metadata of event " + event.id() + " is not JSON", e);
      }
    }
    for (Map.Entry<String, JsonNode> field : metadata.properties()) {
      record.putProperties(field.getKey(), value(field.getValue()));
    }
    return record.build();
  }

  static Value value(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build();
    }
    if (node.isTextual()) {
      return Value.newBuilder().setStringValue(node.textValue()).build();
    }
    if (node.isBoolean()) {
      return Value.newBuilder().setBoolValue(node.booleanValue()).build();
    }
    if (node.isIntegralNumber()) {
      BigInteger big = node.bigIntegerValue();
      if (big.abs().compareTo(BigInteger.valueOf(EXACT_DOUBLE)) > 0) {
        return Value.newBuilder().setStringValue(big.toString()).build();
      }
      return Value.newBuilder().setNumberValue(big.doubleValue()).build();
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
