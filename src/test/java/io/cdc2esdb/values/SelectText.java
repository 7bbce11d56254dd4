package io.cdc2esdb.values;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdc2esdb.envelope.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Compares a row of natural values with the text MariaDB shows for it ({@link
 * ValueTypesWorkload#SELECT}): equal text for numbers, decimals, dates and times (DATETIME with a
 * {@code T}, TIMESTAMP also with a {@code Z}), BIT as its number, binary through its bytes, JSON as
 * JSON, floating point as the same number.
 */
public final class SelectText {

  private SelectText() {}

  /**
   * The columns whose natural value differs from what MariaDB shows, each with both values; empty
   * when the row matches.
   *
   * @param decimalsThroughDouble whether DECIMALs went through a double ({@code
   *     decimal.handling.mode=double}): then they match the double nearest to what MariaDB shows
   */
  public static List<String> mismatches(
      JsonNode natural, ObjectNode select, boolean decimalsThroughDouble) {
    return mismatches(natural, select, decimalsThroughDouble, false);
  }

  /**
   * Like {@link #mismatches(JsonNode, ObjectNode, boolean)}, but comparing values rather than their
   * text where a later {@code ALTER TABLE ... MODIFY} changed only how the table shows them: a
   * DECIMAL(10,2) {@code 0.05} is the DECIMAL(14,4) {@code 0.0500}, a TIME(3) {@code 10:00:00.123}
   * the TIME(6) {@code 10:00:00.123000}.
   */
  public static List<String> mismatchesByValue(JsonNode natural, ObjectNode select) {
    return mismatches(natural, select, false, true);
  }

  private static List<String> mismatches(
      JsonNode natural, ObjectNode select, boolean decimalsThroughDouble, boolean byValue) {
    List<String> mismatches = new ArrayList<>();
    if (natural == null || !natural.isObject()) {
      mismatches.add("not a row: " + natural);
      return mismatches;
    }
    for (Map.Entry<String, JsonNode> column : select.properties()) {
      String name = column.getKey();
      String shown = column.getValue().isNull() ? null : column.getValue().asText();
      JsonNode value = natural.get(name);
      if (byValue && value != null && value.isTextual() && shown != null) {
        value = Json.MAPPER.getNodeFactory().textNode(sameValueText(name, value.asText(), shown));
      }
      if (value == null) {
        mismatches.add(name + ": missing, MariaDB shows " + shown);
      } else if (!matches(name, value, shown, decimalsThroughDouble)) {
        mismatches.add(name + ": " + value + " but MariaDB shows " + shown);
      }
    }
    if (natural.size() != select.size()) {
      mismatches.add("columns " + natural.size() + " but MariaDB shows " + select.size());
    }
    return mismatches;
  }

  private static boolean matches(
      String name, JsonNode value, String shown, boolean decimalsThroughDouble) {
    if (shown == null || value.isNull()) {
      return shown == null && value.isNull();
    }
    if (ValueTypesWorkload.BIT_COLUMNS.contains(name)) {
      String number = value.isBoolean() ? (value.asBoolean() ? "1" : "0") : value.asText();
      return (value.isBoolean() || value.isIntegralNumber()) && number.equals(shown);
    }
    if (ValueTypesWorkload.BINARY_COLUMNS.contains(name)) {
      return value.isTextual()
          && HexFormat.of()
              .formatHex(Base64.getDecoder().decode(value.asText()))
              .equals(shown.toLowerCase(Locale.ROOT));
    }
    if (name.equals("f")) {
      return value.isNumber() && value.floatValue() == Float.parseFloat(shown);
    }
    if (name.equals("dbl")) {
      return value.isNumber() && value.doubleValue() == Double.parseDouble(shown);
    }
    if (name.equals("js")) {
      return value.equals(parse(shown));
    }
    if (name.startsWith("d_")) {
      String expected = shown;
      if (decimalsThroughDouble) {
        int scale = shown.indexOf('.') < 0 ? 0 : shown.length() - shown.indexOf('.') - 1;
        expected =
            BigDecimal.valueOf(Double.parseDouble(shown))
                .setScale(scale, RoundingMode.HALF_EVEN)
                .toPlainString();
      }
      return value.isTextual() && value.asText().equals(expected);
    }
    if (name.startsWith("dtm")) {
      return value.isTextual() && value.asText().equals(shown.replace(' ', 'T'));
    }
    if (name.startsWith("ts")) {
      return value.isTextual() && value.asText().equals(shown.replace(' ', 'T') + "Z");
    }
    if (name.startsWith("t_") || name.equals("id") || name.equals("yr")) {
      return value.isIntegralNumber() && value.asText().equals(shown);
    }
    return value.isTextual() && value.asText().equals(shown);
  }

  /** {@code text} as the table shows the same value now, when only its scale or digits differ. */
  private static String sameValueText(String name, String text, String shown) {
    if (name.startsWith("d_")) {
      try {
        return new BigDecimal(text).compareTo(new BigDecimal(shown)) == 0 ? shown : text;
      } catch (NumberFormatException e) {
        return text;
      }
    }
    if (name.startsWith("tm") || name.startsWith("dtm") || name.startsWith("ts")) {
      String zone = name.startsWith("ts") ? "Z" : "";
      String expected = (name.startsWith("tm") ? shown : shown.replace(' ', 'T')) + zone;
      return withoutTrailingZeros(text).equals(withoutTrailingZeros(expected)) ? expected : text;
    }
    return text;
  }

  private static String withoutTrailingZeros(String time) {
    String zone = time.endsWith("Z") ? "Z" : "";
    String t = zone.isEmpty() ? time : time.substring(0, time.length() - 1);
    if (t.indexOf('.') >= 0) {
      t = t.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
    return t + zone;
  }

  private static JsonNode parse(String json) {
    try {
      return Json.MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
