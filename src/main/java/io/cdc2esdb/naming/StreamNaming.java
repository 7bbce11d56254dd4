package io.cdc2esdb.naming;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names the EventStoreDB stream of a table row from a format such as {@code {table}-{key}}.
 *
 * <p>Naming is injective: two different (db, table, key) never share a stream. Database and table
 * names are percent-encoded for every character that could be mistaken for structure (the format's
 * literal characters, {@code % . - $}); the key comes last and its columns are joined with {@code
 * .} after encoding {@code %} and {@code .} inside each value. So {@code order_lines} with key
 * (10001, 2) is {@code order_lines-10001.2}, and a key value {@code "a.b"} is {@code a%2Eb}. No
 * name starts with {@code $}: the format may not, and a leading component encodes its {@code $}.
 * The category that EventStoreDB's {@code $by_category} projection takes (the text before the first
 * {@code -}) is the table, since {@code -} is encoded in table names.
 *
 * <p>Key columns are rendered as their JSON scalar text ({@code 1001}, {@code abc}, {@code true}):
 * a number and a string with the same digits name the same stream, which is harmless because one
 * primary-key column has one type.
 */
public final class StreamNaming {

  public static final String DEFAULT_FORMAT = "{table}-{key}";

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z]+)}");
  private static final String KEY = "{key}";

  private final List<String> parts = new ArrayList<>();
  private final String reservedInNames;
  private final String tableStreamFormat;

  /**
   * @throws IllegalArgumentException when the format does not end with {@code {key}}, lacks {@code
   *     {table}}, starts with {@code $} or uses a placeholder other than db, table, key
   */
  public StreamNaming(String format) {
    if (format == null || !format.endsWith(KEY) || format.indexOf(KEY) != format.length() - 5) {
      throw new IllegalArgumentException(
          "stream name format must end with {key} and use it once, was '" + format + "'");
    }
    if (!format.contains("{table}")) {
      throw new IllegalArgumentException(
          "stream name format must contain {table}: '" + format + "'");
    }
    if (format.startsWith("$")) {
      throw new IllegalArgumentException(
          "stream name format must not start with '$' (system streams): '" + format + "'");
    }
    StringBuilder literals = new StringBuilder("%.-$");
    Matcher m = PLACEHOLDER.matcher(format);
    int last = 0;
    while (m.find()) {
      String name = m.group(1);
      if (!name.equals("db") && !name.equals("table") && !name.equals("key")) {
        throw new IllegalArgumentException(
            "unknown placeholder {" + name + "} in stream name format '" + format + "'");
      }
      parts.add(format.substring(last, m.start()));
      parts.add(m.group());
      literals.append(format, last, m.start());
      last = m.end();
    }
    this.reservedInNames = literals.toString();
    String beforeKey = format.substring(0, format.length() - KEY.length());
    int lastPlaceholderEnd = beforeKey.lastIndexOf('}') + 1;
    this.tableStreamFormat = beforeKey.substring(0, lastPlaceholderEnd);
  }

  /** The stream of one row: {@code key} holds the primary-key columns in key-column order. */
  public String streamName(String db, String table, ObjectNode key) {
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("a row stream needs at least one primary-key column");
    }
    StringBuilder name = new StringBuilder();
    for (String part : parts) {
      switch (part) {
        case "{db}" -> name.append(encodeName(db, name.isEmpty()));
        case "{table}" -> name.append(encodeName(table, name.isEmpty()));
        case KEY -> name.append(encodeKey(key));
        default -> name.append(part);
      }
    }
    return name.toString();
  }

  /**
   * The stream for changes that concern a whole table (truncates, and rows of a table without a
   * primary key when so configured): the format up to its last placeholder before {@code {key}}.
   */
  public String tableStreamName(String db, String table) {
    String name = tableStreamFormat;
    boolean first = true;
    StringBuilder out = new StringBuilder();
    Matcher m = PLACEHOLDER.matcher(name);
    int last = 0;
    while (m.find()) {
      out.append(name, last, m.start());
      String value = m.group(1).equals("db") ? db : table;
      out.append(encodeName(value, first && out.isEmpty()));
      first = false;
      last = m.end();
    }
    return out.append(name.substring(last)).toString();
  }

  private String encodeName(String value, boolean leading) {
    return encode(value == null ? "" : value, reservedInNames, leading);
  }

  private static String encodeKey(ObjectNode key) {
    StringBuilder out = new StringBuilder();
    Iterator<JsonNode> values = key.elements();
    while (values.hasNext()) {
      JsonNode value = values.next();
      out.append(encode(value.isValueNode() ? value.asText() : value.toString(), "%.", false));
      if (values.hasNext()) {
        out.append('.');
      }
    }
    return out.toString();
  }

  private static String encode(String value, String reserved, boolean leading) {
    StringBuilder out = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); ) {
      int cp = value.codePointAt(i);
      boolean mustEncode = reserved.indexOf(cp) >= 0 || (leading && i == 0 && cp == '$');
      if (mustEncode) {
        for (byte b : new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8)) {
          out.append('%').append(String.format("%02X", b & 0xff));
        }
      } else {
        out.appendCodePoint(cp);
      }
      i += Character.charCount(cp);
    }
    return out.toString();
  }
}
