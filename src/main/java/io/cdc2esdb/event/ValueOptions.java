package io.cdc2esdb.event;

/**
 * How natural values are written, and the one Debezium setting that cannot be read off a record.
 *
 * @param binary how binary columns are written
 * @param json how JSON columns are written
 * @param decimalHandling Debezium's {@code decimal.handling.mode}: without the schema wrapper, a
 *     DECIMAL that arrives as a JSON string is base64 ({@code precise}) or text ({@code string}); a
 *     JSON number is read as {@code double} whatever this says
 */
public record ValueOptions(Binary binary, JsonColumns json, DecimalHandling decimalHandling) {

  public static final ValueOptions DEFAULTS =
      new ValueOptions(Binary.BASE64, JsonColumns.VALUE, DecimalHandling.PRECISE);

  /** Binary columns: base64 (as Debezium's JSON converter writes them) or lower-case hex. */
  public enum Binary {
    BASE64,
    HEX
  }

  /** JSON columns: the JSON value itself, or the text of it (as Debezium writes it). */
  public enum JsonColumns {
    VALUE,
    TEXT
  }

  /** Debezium's {@code decimal.handling.mode}. */
  public enum DecimalHandling {
    PRECISE,
    STRING,
    DOUBLE
  }
}
