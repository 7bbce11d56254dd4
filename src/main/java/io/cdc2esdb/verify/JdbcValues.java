package io.cdc2esdb.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Column values from JDBC in the natural JSON form cdc2esdb's events carry: integers and
 * floating-point numbers as JSON numbers, DECIMAL as its exact text, temporal values as ISO-8601
 * text, binary as base64, text as text; and the comparison of a database row with a folded one.
 */
final class JdbcValues {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private JdbcValues() {}

  static JsonNode natural(ResultSet rows, int column, int sqlType) throws SQLException {
    Object value =
        switch (sqlType) {
          case Types.DATE -> rows.getObject(column, LocalDate.class);
          case Types.TIME -> rows.getObject(column, LocalTime.class);
          case Types.TIMESTAMP -> rows.getObject(column, LocalDateTime.class);
          case Types.TIMESTAMP_WITH_TIMEZONE -> rows.getObject(column, OffsetDateTime.class);
          default -> rows.getObject(column);
        };
    if (value == null) {
      return NODES.nullNode();
    }
    if (value instanceof Boolean b) {
      return NODES.booleanNode(b);
    }
    if (value instanceof BigDecimal d) {
      return NODES.textNode(d.toPlainString());
    }
    if (value instanceof BigInteger i) {
      return NODES.numberNode(i);
    }
    if (value instanceof Long l) {
      return NODES.numberNode(l);
    }
    if (value instanceof Number n) {
      return n instanceof Double || n instanceof Float
          ? NODES.numberNode(n.doubleValue())
          : NODES.numberNode(n.longValue());
    }
    if (value instanceof byte[] bytes) {
      return NODES.textNode(Base64.getEncoder().encodeToString(bytes));
    }
    return NODES.textNode(value.toString());
  }

  /**
   * What differs between a row of the database and the folded row of its stream, or null when
   * nothing does. Columns are the database's: a column the event does not carry (added later and
   * never set since) matches a NULL.
   */
  static String differences(ObjectNode dbRow, JsonNode folded) {
    List<String> differ = new ArrayList<>();
    for (Map.Entry<String, JsonNode> column : dbRow.properties()) {
      JsonNode ours = folded == null ? null : folded.get(column.getKey());
      if (!same(column.getValue(), ours)) {
        differ.add(
            column.getKey()
                + ": database "
                + column.getValue()
                + ", EventStoreDB "
                + (ours == null ? "(absent)" : ours.toString()));
      }
    }
    return differ.isEmpty() ? null : String.join(", ", differ);
  }

  static boolean same(JsonNode db, JsonNode event) {
    boolean dbNull = db == null || db.isNull();
    boolean eventNull = event == null || event.isNull();
    if (dbNull || eventNull) {
      return dbNull && eventNull;
    }
    if (db.isNumber() && event.isNumber()) {
      return db.decimalValue().compareTo(event.decimalValue()) == 0;
    }
    if (db.isBoolean() && event.isNumber()) {
      return (db.booleanValue() ? 1 : 0) == event.intValue();
    }
    if (db.isTextual() && event.isNumber()) {
      return numeric(db.textValue(), event.decimalValue());
    }
    if (db.isNumber() && event.isTextual()) {
      return numeric(event.textValue(), db.decimalValue());
    }
    return db.asText().equals(event.asText()) || sameTime(db.asText(), event.asText());
  }

  /**
   * The same instant or local time written two ways ({@code 10:00} and {@code 10:00:00.000}, a
   * TIMESTAMP with {@code Z} or an offset).
   */
  static boolean sameTime(String a, String b) {
    for (var parse :
        List.<Function<String, Comparable<?>>>of(
            t -> OffsetDateTime.parse(t).toInstant(),
            LocalDateTime::parse,
            LocalDate::parse,
            LocalTime::parse)) {
      try {
        return parse.apply(a).equals(parse.apply(b));
      } catch (DateTimeParseException e) {
        // not this kind of value: try the next
      }
    }
    return false;
  }

  private static boolean numeric(String text, BigDecimal number) {
    try {
      return new BigDecimal(text).compareTo(number) == 0;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
