package io.cdc2esdb.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdc2esdb.envelope.ChangeEvent;
import java.util.HashMap;
import java.util.Map;

/**
 * Rewrites a change's {@code before} and {@code after} (in the event and in its payload) with
 * natural values. Each column's type comes from the record's own Connect schema when the
 * converter's schema wrapper is on, completed by the table structure in force at the change's
 * binlog position, matched by column name. A non-null value of a column of which neither says
 * anything is kept as Debezium encoded it and counted in {@link Decoded#undecoded()}. Pure.
 */
public final class RowDecoder {

  private final NaturalValues values;

  public RowDecoder(ValueOptions options) {
    this.values = new NaturalValues(options);
  }

  /**
   * The change with its rows decoded, and how many values could not be.
   *
   * @param undecoded non-null values kept as Debezium encoded them because their column's type is
   *     unknown
   */
  public record Decoded(ChangeEvent event, int undecoded) {}

  /**
   * @param valueSchema the Connect schema of the record's value (the wrapper's {@code schema}), or
   *     {@code null} without the wrapper
   * @param structure the table's structure at the change's position, or {@code null} when unknown
   */
  public Decoded decode(ChangeEvent event, JsonNode valueSchema, TableHistory.Version structure) {
    Map<String, ColumnType> types = types(valueSchema, structure);
    if (types.isEmpty() && event.raw() != null) {
      // No type known: every value stays as read, and every non-null one is undecoded.
      return new Decoded(event, event.raw().nonNullRowFields());
    }
    int[] undecoded = {0};
    JsonNode before = row(event.before(), types, undecoded);
    JsonNode after = row(event.after(), types, undecoded);
    if (before == event.before() && after == event.after()) {
      // Every value was already natural (or unknown): the change as read, with its own bytes.
      return new Decoded(event, undecoded[0]);
    }
    // A shallow copy: the parts it shares with the change as read are never changed.
    ObjectNode payload = event.payload().objectNode();
    payload.setAll(event.payload());
    if (payload.has("before")) {
      payload.set("before", before);
    }
    if (payload.has("after")) {
      payload.set("after", after);
    }
    return new Decoded(
        new ChangeEvent(
            event.op(),
            event.key(),
            before,
            after,
            payload,
            event.source(),
            event.transaction(),
            event.origin(),
            null),
        undecoded[0]);
  }

  /** The row with its values decoded: {@code row} itself when no value changes, else a copy. */
  private JsonNode row(JsonNode row, Map<String, ColumnType> types, int[] undecoded) {
    if (row == null || !row.isObject()) {
      return row;
    }
    ObjectNode decoded = null;
    for (Map.Entry<String, JsonNode> field : row.properties()) {
      JsonNode value = field.getValue();
      if (value.isNull()) {
        continue;
      }
      ColumnType type = types.getOrDefault(field.getKey(), ColumnType.UNKNOWN);
      if (!type.isKnown()) {
        undecoded[0]++;
        continue;
      }
      JsonNode natural = values.decode(type, value);
      if (!natural.equals(value)) {
        if (decoded == null) {
          decoded = row.deepCopy();
        }
        decoded.set(field.getKey(), natural);
      }
    }
    return decoded == null ? row : decoded;
  }

  private static Map<String, ColumnType> types(
      JsonNode valueSchema, TableHistory.Version structure) {
    Map<String, ColumnType> types = new HashMap<>();
    if (structure != null && structure.columns() != null) {
      for (TableHistory.Column column : structure.columns()) {
        types.put(column.name(), column.type());
      }
    }
    if (valueSchema != null) {
      for (JsonNode part : valueSchema.path("fields")) {
        String name = part.path("field").asText();
        if (!name.equals("before") && !name.equals("after")) {
          continue;
        }
        for (JsonNode field : part.path("fields")) {
          String column = field.path("field").asText();
          types.put(column, ColumnType.ofConnectField(field).with(types.get(column)));
        }
      }
    }
    return types;
  }
}
