package io.cdc2esdb.dev.emulator;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.google.protobuf.ListValue;
import com.google.protobuf.Value;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Renders a v2 record's properties as the JSON metadata a v1 reader gets, laid out as the server's
 * protobuf {@code JsonFormatter} writes a {@code Struct}: {@code { "key": value, ... }} with {@code
 * ": "} and {@code ", "} separators, integral numbers without a fraction, in the properties' order.
 * A value with no kind set (which the server stores but then fails to render) is written as {@code
 * null}.
 */
final class PropertiesJson {

  private PropertiesJson() {}

  static byte[] render(Map<String, Value> properties) {
    StringBuilder out = new StringBuilder(64 + properties.size() * 32);
    object(properties, out);
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void object(Map<String, Value> fields, StringBuilder out) {
    if (fields.isEmpty()) {
      out.append("{ }");
      return;
    }
    out.append("{ ");
    boolean first = true;
    for (Map.Entry<String, Value> field : fields.entrySet()) {
      if (!first) {
        out.append(", ");
      }
      first = false;
      string(field.getKey(), out);
      out.append(": ");
      value(field.getValue(), out);
    }
    out.append(" }");
  }

  private static void value(Value value, StringBuilder out) {
    switch (value.getKindCase()) {
      case STRING_VALUE -> string(value.getStringValue(), out);
      case BOOL_VALUE -> out.append(value.getBoolValue());
      case NUMBER_VALUE -> number(value.getNumberValue(), out);
      case STRUCT_VALUE -> object(value.getStructValue().getFieldsMap(), out);
      case LIST_VALUE -> list(value.getListValue(), out);
      case NULL_VALUE, KIND_NOT_SET -> out.append("null");
    }
  }

  private static void list(ListValue list, StringBuilder out) {
    if (list.getValuesCount() == 0) {
      out.append("[ ]");
      return;
    }
    out.append("[ ");
    for (int i = 0; i < list.getValuesCount(); i++) {
      if (i > 0) {
        out.append(", ");
      }
      value(list.getValues(i), out);
    }
    out.append(" ]");
  }

  private static void number(double number, StringBuilder out) {
    if (number == Math.rint(number) && Math.abs(number) < 1e15) {
      out.append((long) number);
    } else {
      out.append(number);
    }
  }

  private static void string(String text, StringBuilder out) {
    out.append('"').append(JsonStringEncoder.getInstance().quoteAsString(text)).append('"');
  }
}
