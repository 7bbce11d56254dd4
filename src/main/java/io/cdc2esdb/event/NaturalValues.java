package io.cdc2esdb.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.cdc2esdb.envelope.Json;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Decodes one column value from Debezium's encoding into natural JSON: DECIMAL as an exact string
 * with the column's scale, DATE/TIME/DATETIME as ISO-8601 text, unsigned BIGINT exact, BIT(n) as a
 * number, JSON columns as JSON, binary as base64 or hex; everything else as it is. Pure.
 *
 * <p>Encodings read (Debezium's MySQL/MariaDB defaults, {@code time.precision.mode} {@code
 * adaptive_time_microseconds}): {@code Decimal} as base64 of the unscaled two's-complement bytes,
 * or text or a double under the other {@code decimal.handling.mode}s; {@code Date} as days since
 * 1970; {@code MicroTime} as microseconds of the day (negative and beyond 24 h allowed, as MySQL's
 * TIME); {@code Timestamp}/{@code MicroTimestamp} as epoch milli-/microseconds for DATETIME(0-3)
 * and DATETIME(4-6); {@code ZonedTimestamp} already as ISO-8601 UTC text; {@code Bits} as base64 of
 * little-endian bytes; unsigned BIGINT as a signed 64-bit number (or a Decimal under {@code
 * bigint.unsigned.handling.mode=precise}). A value that does not have the expected shape is kept as
 * Debezium wrote it.
 */
public final class NaturalValues {

  private static final BigInteger TWO_TO_64 = BigInteger.ONE.shiftLeft(64);
  private static final Pattern DECIMAL_TEXT = Pattern.compile("-?\\d+(\\.\\d+)?");
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final ValueOptions options;

  public NaturalValues(ValueOptions options) {
    this.options = options;
  }

  /** The natural form of {@code value}, a column of type {@code type}. */
  public JsonNode decode(ColumnType type, JsonNode value) {
    if (value == null || value.isNull()) {
      return value;
    }
    String name = type.connectName() == null ? "" : type.connectName();
    String base = type.baseType();
    // The table structure gives a temporal column's fractional digits (none given: 0); the Connect
    // schema does not give them at all.
    Integer digits = type.typeName() == null ? null : fsp(type.length());
    if (type.unsigned() && base.equals("BIGINT")) {
      return unsignedBigint(value);
    }
    switch (name) {
      case "org.apache.kafka.connect.data.Decimal":
        return decimal(value, type.connectScale(), true);
      case "io.debezium.time.Date", "org.apache.kafka.connect.data.Date":
        return value.canConvertToLong() ? text(LocalDate.ofEpochDay(value.asLong())) : value;
      case "io.debezium.time.MicroTime":
        return time(value, 1_000L, digits);
      case "io.debezium.time.NanoTime":
        return time(value, 1L, digits);
      case "io.debezium.time.Time", "org.apache.kafka.connect.data.Time":
        return time(value, 1_000_000L, digits);
      case "io.debezium.time.Timestamp", "org.apache.kafka.connect.data.Timestamp":
        return dateTime(value, 1_000_000L, digits);
      case "io.debezium.time.MicroTimestamp":
        return dateTime(value, 1_000L, digits);
      case "io.debezium.time.NanoTimestamp":
        return dateTime(value, 1L, digits);
      case "io.debezium.data.Bits":
        return bits(value);
      case "io.debezium.data.Json":
        return json(value);
      default:
        break;
    }
    if (type.json()) {
      return json(value);
    }
    if ("bytes".equals(type.connectType()) && name.isEmpty()) {
      return binary(value);
    }
    if (!name.isEmpty() || "double".equals(type.connectType()) && !isDecimal(base)) {
      return value;
    }
    return switch (base) {
      case "DECIMAL", "NUMERIC", "DEC", "FIXED" -> decimal(value, type.scale(), false);
      case "DATE" -> value.canConvertToLong() ? text(LocalDate.ofEpochDay(value.asLong())) : value;
      case "TIME" -> time(value, 1_000L, digits);
      case "DATETIME" -> dateTime(value, digits <= 3 ? 1_000_000L : 1_000L, digits);
      case "BIT" -> fsp(type.length()) > 1 ? bits(value) : value;
      case "BINARY", "VARBINARY", "TINYBLOB", "BLOB", "MEDIUMBLOB", "LONGBLOB" -> binary(value);
      default -> value;
    };
  }

  private static boolean isDecimal(String base) {
    return switch (base) {
      case "DECIMAL", "NUMERIC", "DEC", "FIXED" -> true;
      default -> false;
    };
  }

  private JsonNode decimal(JsonNode value, Integer scale, boolean fromSchema) {
    BigDecimal decimal;
    if (value.isNumber()) {
      decimal = value.decimalValue();
    } else if (!value.isTextual()) {
      return value;
    } else if (fromSchema || readsAsBase64(value.asText())) {
      byte[] bytes = base64(value.asText());
      if (bytes == null || bytes.length == 0 || scale == null) {
        return value;
      }
      decimal = new BigDecimal(new BigInteger(bytes), scale);
    } else if (DECIMAL_TEXT.matcher(value.asText()).matches()) {
      decimal = new BigDecimal(value.asText());
    } else {
      return value;
    }
    if (scale != null) {
      decimal = decimal.setScale(scale, RoundingMode.HALF_EVEN);
    }
    return NODES.textNode(decimal.toPlainString());
  }

  /** Without a schema, a DECIMAL string is base64 or text depending on the connector's setting. */
  private boolean readsAsBase64(String text) {
    if (text.indexOf('.') >= 0 || base64(text) == null) {
      return false;
    }
    return options.decimalHandling() != ValueOptions.DecimalHandling.STRING
        || !DECIMAL_TEXT.matcher(text).matches();
  }

  private static JsonNode unsignedBigint(JsonNode value) {
    if (value.isIntegralNumber()) {
      BigInteger n = value.bigIntegerValue();
      return NODES.numberNode(n.signum() < 0 ? n.add(TWO_TO_64) : n);
    }
    if (value.isTextual()) {
      byte[] bytes = base64(value.asText());
      if (bytes != null && bytes.length > 0) {
        return NODES.numberNode(new BigInteger(bytes));
      }
    }
    return value;
  }

  /** TIME as {@code [-]HH:MM:SS[.f]}; hours may exceed 23 (MySQL's TIME spans ±838 hours). */
  private static JsonNode time(JsonNode value, long nanosPerUnit, Integer fsp) {
    if (!value.canConvertToLong()) {
      return value;
    }
    BigInteger nanos =
        BigInteger.valueOf(value.asLong()).multiply(BigInteger.valueOf(nanosPerUnit));
    String sign = nanos.signum() < 0 ? "-" : "";
    long total = nanos.abs().longValueExact();
    long seconds = total / 1_000_000_000L;
    int fraction = (int) (total % 1_000_000_000L);
    String hms =
        String.format("%s%02d:%02d:%02d", sign, seconds / 3600, (seconds / 60) % 60, seconds % 60);
    return NODES.textNode(hms + fraction(fraction, fsp));
  }

  /** DATETIME as {@code yyyy-MM-ddTHH:mm:ss[.f]}, without a zone (Debezium encodes it as UTC). */
  private static JsonNode dateTime(JsonNode value, long nanosPerUnit, Integer fsp) {
    if (!value.canConvertToLong()) {
      return value;
    }
    long units = value.asLong();
    long unitsPerSecond = 1_000_000_000L / nanosPerUnit;
    long seconds = Math.floorDiv(units, unitsPerSecond);
    int nanos = (int) (Math.floorMod(units, unitsPerSecond) * nanosPerUnit);
    LocalDateTime time =
        LocalDateTime.ofInstant(Instant.ofEpochSecond(seconds, nanos), ZoneOffset.UTC);
    String text = String.format("%tFT%<tT", time);
    return NODES.textNode(text + fraction(nanos, fsp));
  }

  /**
   * The fraction with the column's digits; when they are unknown (the Connect schema does not say),
   * as milli- or microseconds, whichever shows the value exactly, or none for whole seconds.
   */
  private static String fraction(int nanos, Integer fsp) {
    int digits;
    if (fsp != null) {
      digits = Math.min(fsp, 9);
    } else if (nanos == 0) {
      digits = 0;
    } else if (nanos % 1_000_000 == 0) {
      digits = 3;
    } else if (nanos % 1_000 == 0) {
      digits = 6;
    } else {
      digits = 9;
    }
    if (digits == 0) {
      return "";
    }
    return "." + String.format("%09d", nanos).substring(0, digits);
  }

  private static int fsp(Integer length) {
    return length == null ? 0 : length;
  }

  /** Debezium's {@code Bits}: little-endian bytes, read as an unsigned number. */
  private static JsonNode bits(JsonNode value) {
    if (!value.isTextual()) {
      return value;
    }
    byte[] bytes = base64(value.asText());
    if (bytes == null) {
      return value;
    }
    byte[] bigEndian = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      bigEndian[i] = bytes[bytes.length - 1 - i];
    }
    return NODES.numberNode(new BigInteger(1, bigEndian));
  }

  private JsonNode json(JsonNode value) {
    if (options.json() == ValueOptions.JsonColumns.TEXT || !value.isTextual()) {
      return value;
    }
    try {
      return Json.MAPPER.readTree(value.asText());
    } catch (IOException e) {
      return value;
    }
  }

  private JsonNode binary(JsonNode value) {
    if (options.binary() == ValueOptions.Binary.BASE64 || !value.isTextual()) {
      return value;
    }
    byte[] bytes = base64(value.asText());
    return bytes == null ? value : NODES.textNode(HexFormat.of().formatHex(bytes));
  }

  private static JsonNode text(Object value) {
    return NODES.textNode(value.toString());
  }

  private static byte[] base64(String text) {
    try {
      return Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
