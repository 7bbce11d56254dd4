package io.cdc2esdb.envelope;

import static io.cdc2esdb.error.DeadLetterCode.MISSING_FIELD;
import static io.cdc2esdb.error.DeadLetterCode.NOT_AN_OBJECT;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdc2esdb.error.DeadLetterCode;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads a record of Debezium's {@code <prefix>.transaction} topic. */
public final class TransactionMarkerParser {

  /**
   * @return the marker, or {@code null} for a tombstone
   * @throws EnvelopeException naming what is wrong
   */
  public TransactionMarker parse(byte[] value) {
    if (value == null) {
      return null;
    }
    JsonNode payload;
    try {
      payload = Json.withoutSchemaWrapper(Json.read(value));
    } catch (IOException e) {
      throw new EnvelopeException(
          DeadLetterCode.MALFORMED_JSON, "transaction record is not valid JSON", e);
    }
    if (payload == null || !payload.isObject()) {
      throw new EnvelopeException(NOT_AN_OBJECT, "transaction record is not a JSON object");
    }
    JsonNode id = Json.orNull(payload.get("id"));
    JsonNode status = Json.orNull(payload.get("status"));
    if (id == null || status == null) {
      throw new EnvelopeException(MISSING_FIELD, "transaction record needs 'id' and 'status'");
    }
    TransactionMarker.Status parsed;
    try {
      parsed = TransactionMarker.Status.valueOf(status.asText());
    } catch (IllegalArgumentException e) {
      throw new EnvelopeException(
          DeadLetterCode.UNKNOWN_OP, "unknown transaction status '" + status.asText() + "'");
    }
    Map<String, Long> collections = new LinkedHashMap<>();
    for (JsonNode c : payload.path("data_collections")) {
      collections.put(c.path("data_collection").asText(), c.path("event_count").asLong());
    }
    JsonNode count = Json.orNull(payload.get("event_count"));
    return new TransactionMarker(
        id.asText(),
        parsed,
        count == null ? null : count.asLong(),
        collections,
        payload.path("ts_ms").asLong(0));
  }
}
