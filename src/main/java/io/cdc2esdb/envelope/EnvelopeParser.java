package io.cdc2esdb.envelope;

import static io.cdc2esdb.error.DeadLetterCode.KEY_NOT_AN_OBJECT;
import static io.cdc2esdb.error.DeadLetterCode.MALFORMED_JSON;
import static io.cdc2esdb.error.DeadLetterCode.MISSING_FIELD;
import static io.cdc2esdb.error.DeadLetterCode.NOT_AN_OBJECT;
import static io.cdc2esdb.error.DeadLetterCode.UNKNOWN_OP;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads one record of a Debezium MySQL or MariaDB table topic (JSON converter, with or without the
 * schema wrapper) into a {@link ParsedRecord}. Pure: bytes in, a value or an {@link
 * EnvelopeException} naming what is wrong out.
 */
public final class EnvelopeParser {

  private static final Map<String, Integer> SOURCE_FIELDS =
      Fields.names(
          "connector", "name", "db", "table", "file", "pos", "row", "gtid", "ts_ms", "snapshot");

  private static final Map<String, Integer> TRANSACTION_FIELDS =
      Fields.names("id", "total_order", "data_collection_order");

  /** Debezium ops that are well-formed but not row changes: counted and ignored, not errors. */
  private static final Set<String> NON_ROW_OPS = Set.of("m");

  public ParsedRecord parse(Origin origin, byte[] key, byte[] value) {
    if (value == null) {
      return new ParsedRecord.Tombstone();
    }
    Level top = readValue(value);
    if (top == null) {
      // Not an object: JSON null is a tombstone, anything else is not an envelope.
      JsonNode node = readJson(value, "value");
      if (node.isNull()) {
        return new ParsedRecord.Tombstone();
      }
      throw notAnObject(node);
    }
    Level payload = top;
    JsonNode schema = null;
    if (top.isSchemaWrapper()) {
      if (top.payload == null) {
        if (top.payloadValue.isNull()) {
          return new ParsedRecord.Tombstone();
        }
        throw notAnObject(top.payloadValue);
      }
      payload = top.payload;
      schema = Json.orNull(top.schema);
    }
    String opCode = text(Json.orNull(payload.op), "op");
    Operation op = Operation.fromCode(opCode).orElse(null);
    if (op == null) {
      if (NON_ROW_OPS.contains(opCode)) {
        return new ParsedRecord.Ignored(opCode);
      }
      throw new EnvelopeException(UNKNOWN_OP, "unknown op '" + opCode + "'");
    }
    switch (op) {
      case CREATE, UPDATE, READ -> requirePresent(payload.afterFrom, "after", op);
      case DELETE -> requirePresent(payload.beforeFrom, "before", op);
      case TRUNCATE -> {}
    }
    ObjectNode rowKey = parseKey(key);
    return new ParsedRecord.Change(
        ChangeEvent.ofRaw(
            op,
            rowKey,
            parseSource(payload.source, rowKey, origin),
            parseTransaction(payload.transaction),
            origin,
            payload.raw(value)),
        schema);
  }

  private static EnvelopeException notAnObject(JsonNode node) {
    return new EnvelopeException(
        NOT_AN_OBJECT, "value is not a JSON object but " + node.getNodeType());
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

  private static SourcePosition parseSource(Fields source, ObjectNode key, Origin origin) {
    if (source == null || !source.object) {
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

  private static TransactionRef parseTransaction(Fields transaction) {
    if (transaction == null) {
      return null;
    }
    return new TransactionRef(
        requiredText(transaction, "id", "transaction.id"),
        transaction.path("total_order").asLong(0),
        transaction.path("data_collection_order").asLong(0));
  }

  /**
   * Reads the top level of the record's value, and of its {@code payload} when that is an object,
   * without building trees of what is only copied later ({@code before}, {@code after}, the fields
   * no step reads): it notes where each lies in the bytes. {@code null} when the value is not a
   * JSON object.
   */
  private static Level readValue(byte[] bytes) {
    try (JsonParser parser = Json.MAPPER.createParser(bytes)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      return readLevel(parser, new Level(true));
    } catch (IOException e) {
      throw new EnvelopeException(
          MALFORMED_JSON, "value is not valid JSON: " + firstLine(e.getMessage()), e);
    }
  }

  /** The object whose START_OBJECT {@code parser} is on, through its END_OBJECT. */
  private static Level readLevel(JsonParser parser, Level level) throws IOException {
    level.from = (int) parser.currentTokenLocation().getByteOffset();
    // As a tree read: a repeated name keeps its last value.
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String name = parser.currentName();
      JsonToken token = parser.nextToken();
      int from = (int) parser.currentTokenLocation().getByteOffset();
      level.onlyWrapperFields &= name.equals("schema") || name.equals("payload");
      switch (name) {
        case "op" -> level.op = value(parser, token);
        case "source" -> level.source = Fields.read(parser, token, SOURCE_FIELDS);
        case "transaction" -> level.transaction = Fields.read(parser, token, TRANSACTION_FIELDS);
        case "before" -> {
          level.beforeNonNull = skipRow(parser, token);
          level.beforeFrom = rowFrom(token, from);
          level.beforeTo = (int) parser.currentLocation().getByteOffset();
        }
        case "after" -> {
          level.afterNonNull = skipRow(parser, token);
          level.afterFrom = rowFrom(token, from);
          level.afterTo = (int) parser.currentLocation().getByteOffset();
        }
        case "schema" -> {
          level.schema = level.top ? Json.MAPPER.readTree(parser) : skip(parser);
          level.hasSchema = true;
        }
        case "payload" -> {
          level.hasPayload = true;
          level.payload = null;
          level.payloadValue = null;
          if (level.top && token == JsonToken.START_OBJECT) {
            level.payload = readLevel(parser, new Level(false));
          } else if (level.top) {
            level.payloadValue = Json.MAPPER.readTree(parser);
          } else {
            parser.skipChildren();
          }
        }
        default -> parser.skipChildren();
      }
    }
    level.to = (int) parser.currentLocation().getByteOffset();
    return level;
  }

  /**
   * Steps over a row, counting its fields that are not JSON {@code null} on the way (the one pass
   * over the row's bytes when nothing reads it as a tree); 0 for anything but an object.
   */
  private static int skipRow(JsonParser parser, JsonToken token) throws IOException {
    if (token != JsonToken.START_OBJECT) {
      parser.skipChildren();
      return 0;
    }
    int count = 0;
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      if (parser.nextToken() != JsonToken.VALUE_NULL) {
        count++;
      }
      parser.skipChildren();
    }
    return count;
  }

  private static JsonNode skip(JsonParser parser) throws IOException {
    parser.skipChildren();
    return null;
  }

  private static int rowFrom(JsonToken token, int from) {
    return switch (token) {
      case START_OBJECT -> from;
      case VALUE_NULL -> RawJson.ABSENT;
      default -> RawJson.OTHER;
    };
  }

  /**
   * What one object of the value holds that the parser needs: the envelope's fields as small trees,
   * where its rows lie in the bytes and, at the top level, the schema wrapper's parts.
   */
  private static final class Level {
    private final boolean top;
    private int from;
    private int to;
    private JsonNode op;
    private Fields source;
    private Fields transaction;
    private int beforeFrom = RawJson.ABSENT;
    private int beforeTo;
    private int afterFrom = RawJson.ABSENT;
    private int afterTo;
    private int beforeNonNull;
    private int afterNonNull;
    private boolean onlyWrapperFields = true;
    private boolean hasSchema;
    private boolean hasPayload;
    private JsonNode schema;
    private Level payload;
    private JsonNode payloadValue;

    Level(boolean top) {
      this.top = top;
    }

    /**
     * As {@link Json#withoutSchemaWrapper}: exactly the fields {@code schema} and {@code payload}.
     */
    boolean isSchemaWrapper() {
      return onlyWrapperFields && hasSchema && hasPayload;
    }

    RawJson raw(byte[] bytes) {
      return new RawJson(
          bytes, from, to, beforeFrom, beforeTo, afterFrom, afterTo, beforeNonNull + afterNonNull);
    }
  }

  /** The value {@code parser} is on as a tree would hold it: scalars without a tree read. */
  private static JsonNode value(JsonParser parser, JsonToken token) throws IOException {
    return switch (token) {
      case VALUE_STRING -> TextNode.valueOf(parser.getText());
      case VALUE_NUMBER_INT ->
          switch (parser.getNumberType()) {
            case INT -> IntNode.valueOf(parser.getIntValue());
            case LONG -> LongNode.valueOf(parser.getLongValue());
            default -> BigIntegerNode.valueOf(parser.getBigIntegerValue());
          };
      case VALUE_TRUE -> BooleanNode.TRUE;
      case VALUE_FALSE -> BooleanNode.FALSE;
      case VALUE_NULL -> NullNode.getInstance();
      default -> Json.MAPPER.readTree(parser);
    };
  }

  /**
   * The fields of one small object that the parser reads ({@code source}, {@code transaction}), as
   * nodes, without building the object; as a tree read, a repeated name keeps its last value.
   */
  private static final class Fields {
    private final Map<String, Integer> names;
    private final JsonNode[] values;
    private final boolean object;

    /** Each name to its index: a source block has about 17 fields, of which 10 are read. */
    static Map<String, Integer> names(String... names) {
      Map<String, Integer> index = new HashMap<>();
      for (String name : names) {
        index.put(name, index.size());
      }
      return Map.copyOf(index);
    }

    private Fields(Map<String, Integer> names, boolean object) {
      this.names = names;
      this.values = new JsonNode[names.size()];
      this.object = object;
    }

    /**
     * Reads the value {@code parser} is on: {@code null} for JSON {@code null}, no fields for
     * anything but an object.
     */
    static Fields read(JsonParser parser, JsonToken token, Map<String, Integer> names)
        throws IOException {
      if (token == JsonToken.VALUE_NULL) {
        return null;
      }
      Fields fields = new Fields(names, token == JsonToken.START_OBJECT);
      if (!fields.object) {
        parser.skipChildren();
        return fields;
      }
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        Integer at = names.get(parser.currentName());
        JsonToken next = parser.nextToken();
        if (at == null) {
          parser.skipChildren();
        } else {
          fields.values[at] = value(parser, next);
        }
      }
      return fields;
    }

    /** The field's value, or {@code null} when absent (as {@link JsonNode#get}). */
    JsonNode get(String name) {
      return values[names.get(name)];
    }

    /** The field's value, or a missing node when absent (as {@link JsonNode#path}). */
    JsonNode path(String name) {
      JsonNode value = get(name);
      return value == null ? MissingNode.getInstance() : value;
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

  private static void requirePresent(int rowFrom, String field, Operation op) {
    if (rowFrom == RawJson.ABSENT) {
      throw new EnvelopeException(
          MISSING_FIELD, "missing '" + field + "' for op '" + op.code() + "'");
    }
  }

  private static String requiredText(Fields fields, String field, String path) {
    return text(Json.orNull(fields.get(field)), path);
  }

  private static String text(JsonNode value, String path) {
    if (value == null || !value.isValueNode()) {
      throw new EnvelopeException(MISSING_FIELD, "missing '" + path + "'");
    }
    return value.asText();
  }

  private static long requiredNumber(Fields fields, String field, String path) {
    JsonNode value = Json.orNull(fields.get(field));
    if (value == null || !value.canConvertToLong()) {
      throw new EnvelopeException(MISSING_FIELD, "missing or non-numeric '" + path + "'");
    }
    return value.asLong();
  }
}
