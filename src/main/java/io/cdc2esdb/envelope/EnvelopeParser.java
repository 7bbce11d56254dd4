package io.cdc2esdb.envelope;

import static io.cdc2esdb.error.DeadLetterCode.KEY_NOT_AN_OBJECT;
import static io.cdc2esdb.error.DeadLetterCode.MALFORMED_JSON;
import static io.cdc2esdb.error.DeadLetterCode.MISSING_FIELD;
import static io.cdc2esdb.error.DeadLetterCode.NOT_AN_OBJECT;
import static io.cdc2esdb.error.DeadLetterCode.UNKNOWN_OP;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Set;

/**
 * Reads one record of a Debezium MySQL or MariaDB table topic (JSON converter, with or without the
 * schema wrapper) into a {@link ParsedRecord}. Pure: bytes in, a value or an {@link
 * EnvelopeException} naming what is wrong out.
 */
public final class EnvelopeParser {

  /** Debezium ops that are well-formed but not row changes: counted and ignored, not errors. */
  private static final Set<String> NON_ROW_OPS = Set.of("m");

  public ParsedRecord parse(Origin origin, byte[] key, byte[] value) {
    if (value == null) {
      return new ParsedRecord.Tombstone();
    }
    Scan scan = new Scan(true);
    JsonNode root = readValue(value, scan);
    JsonNode payload = Json.withoutSchemaWrapper(root);
    JsonNode schema = payload == root ? null : Json.orNull(root.get("schema"));
    RawJson raw = payload == root ? scan.raw(value) : scan.inPayload.raw(value);
    if (payload == null || payload.isNull()) {
      return new ParsedRecord.Tombstone();
    }
    if (!payload.isObject()) {
      throw new EnvelopeException(
          NOT_AN_OBJECT, "value is not a JSON object but " + payload.getNodeType());
    }
    String opCode = requiredText(payload, "op");
    Operation op = Operation.fromCode(opCode).orElse(null);
    if (op == null) {
      if (NON_ROW_OPS.contains(opCode)) {
        return new ParsedRecord.Ignored(opCode);
      }
      throw new EnvelopeException(UNKNOWN_OP, "unknown op '" + opCode + "'");
    }
    JsonNode before = Json.orNull(payload.get("before"));
    JsonNode after = Json.orNull(payload.get("after"));
    switch (op) {
      case CREATE, UPDATE, READ -> requirePresent(after, "after", op);
      case DELETE -> requirePresent(before, "before", op);
      case TRUNCATE -> {}
    }
    ObjectNode rowKey = parseKey(key);
    return new ParsedRecord.Change(
        new ChangeEvent(
            op,
            rowKey,
            before,
            after,
            (ObjectNode) payload,
            parseSource(payload, rowKey, origin),
            parseTransaction(payload),
            origin,
            raw),
        schema);
  }

  private static ObjectNode parseKey(byte[] key) {
    if (key == null) {
      return null;
    }
    JsonNode node = Json.orNull(Json.withoutSchemaWrapper(readJson(key, "key")));
    if (node == null) {
      return null;
    }
    if (!node.isObject()) {
      throw new EnvelopeException(
          KEY_NOT_AN_OBJECT,
          "key is not a JSON object of primary-key columns but " + node.getNodeType());
    }
    return (ObjectNode) node;
  }

  private static SourcePosition parseSource(JsonNode payload, ObjectNode key, Origin origin) {
    JsonNode source = Json.orNull(payload.get("source"));
    if (source == null || !source.isObject()) {
      throw new EnvelopeException(MISSING_FIELD, "missing 'source' object");
    }
    JsonNode snapshot = Json.orNull(source.get("snapshot"));
    SourcePosition position =
        new SourcePosition(
            source.path("connector").asText(null),
            source.path("name").asText(null),
            source.path("db").asText(null),
            requiredText(source, "table", "source.table"),
            requiredText(source, "file", "source.file"),
            requiredNumber(source, "pos", "source.pos"),
            source.path("row").asInt(0),
            Json.orNull(source.get("gtid")) == null ? null : source.get("gtid").asText(),
            source.path("ts_ms").asLong(0),
            snapshot == null ? null : snapshot.asText(),
            SourcePosition.NO_ORDINAL);
    // Only these rows share a position with nothing else to tell them apart (see SourcePosition).
    boolean keyless = key == null || key.isEmpty();
    return keyless && position.readBySnapshot() ? position.withOrdinal(origin.offset()) : position;
  }

  private static TransactionRef parseTransaction(JsonNode payload) {
    JsonNode transaction = Json.orNull(payload.get("transaction"));
    if (transaction == null) {
      return null;
    }
    return new TransactionRef(
        requiredText(transaction, "id", "transaction.id"),
        transaction.path("total_order").asLong(0),
        transaction.path("data_collection_order").asLong(0));
  }

  /**
   * Reads the record's value as {@link Json#read} does, and notes where the payload's value and its
   * rows lie in the bytes: the top level's fields one by one, and those of a top-level {@code
   * payload} object (the schema wrapper's) one level down.
   */
  private static JsonNode readValue(byte[] bytes, Scan scan) {
    try (JsonParser parser = Json.MAPPER.createParser(bytes)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return readJson(bytes, "value");
      }
      scan.from = 0;
      scan.to = bytes.length;
      return readObject(parser, scan);
    } catch (IOException e) {
      throw new EnvelopeException(
          MALFORMED_JSON, "value is not valid JSON: " + firstLine(e.getMessage()), e);
    }
  }

  /** The object whose START_OBJECT {@code parser} is on, through its END_OBJECT. */
  private static ObjectNode readObject(JsonParser parser, Scan scan) throws IOException {
    ObjectNode node = Json.object();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      JsonToken token = parser.nextToken();
      int from = (int) parser.currentTokenLocation().getByteOffset();
      JsonNode value =
          scan.inPayload != null && token == JsonToken.START_OBJECT && name.equals("payload")
              ? readObject(parser, scan.inPayload)
              : Json.MAPPER.readTree(parser);
      int to = (int) parser.currentLocation().getByteOffset();
      // As a tree read: a repeated name keeps its last value.
      node.set(name, value);
      scan.field(name, token == JsonToken.START_OBJECT, from, to);
    }
    return node;
  }

  /**
   * Where one object's value and its {@code before} and {@code after} values lie in the bytes
   * (ranges {@code [from, to)}); the top level's also holds its {@code payload}'s.
   */
  private static final class Scan {
    private int from = RawJson.ABSENT;
    private int to;
    private int beforeFrom = RawJson.ABSENT;
    private int beforeTo;
    private int afterFrom = RawJson.ABSENT;
    private int afterTo;
    private final Scan inPayload;

    Scan(boolean top) {
      this.inPayload = top ? new Scan(false) : null;
    }

    void field(String name, boolean object, int valueFrom, int valueTo) {
      int start = object ? valueFrom : RawJson.ABSENT;
      switch (name) {
        case "before" -> {
          beforeFrom = start;
          beforeTo = valueTo;
        }
        case "after" -> {
          afterFrom = start;
          afterTo = valueTo;
        }
        case "payload" -> {
          if (inPayload != null) {
            inPayload.from = start;
            inPayload.to = valueTo;
          }
        }
        default -> {}
      }
    }

    /** The bytes as the JSON of the object this scan read, or {@code null} if it read none. */
    RawJson raw(byte[] bytes) {
      if (from == RawJson.ABSENT) {
        return null;
      }
      return new RawJson(bytes, from, to, beforeFrom, beforeTo, afterFrom, afterTo);
    }
  }

  private static JsonNode readJson(byte[] bytes, String what) {
    try {
      return Json.read(bytes);
    } catch (IOException e) {
      throw new EnvelopeException(
          MALFORMED_JSON, what + " is not valid JSON: " + firstLine(e.getMessage()), e);
    }
  }

  private static String firstLine(String message) {
    return message == null ? "" : message.lines().findFirst().orElse("");
  }

  private static void requirePresent(JsonNode node, String field, Operation op) {
    if (node == null) {
      throw new EnvelopeException(
          MISSING_FIELD, "missing '" + field + "' for op '" + op.code() + "'");
    }
  }

  private static String requiredText(JsonNode node, String field) {
    return requiredText(node, field, field);
  }

  private static String requiredText(JsonNode node, String field, String path) {
    JsonNode value = Json.orNull(node.get(field));
    if (value == null || !value.isValueNode()) {
      throw new EnvelopeException(MISSING_FIELD, "missing '" + path + "'");
    }
    return value.asText();
  }

  private static long requiredNumber(JsonNode node, String field, String path) {
    JsonNode value = Json.orNull(node.get(field));
    if (value == null || !value.canConvertToLong()) {
      throw new EnvelopeException(MISSING_FIELD, "missing or non-numeric '" + path + "'");
    }
    return value.asLong();
  }
}
