package io.cdc2esdb.event;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/**
 * What is known about one column's type: the Kafka Connect schema of its field (with the
 * converter's schema wrapper) and the table structure Debezium published on its schema-change
 * topic. Either may be missing; each fills what the other lacks (the Connect schema of a MariaDB
 * {@code JSON} column is a plain string, an unsigned {@code BIGINT} a plain int64, a {@code
 * DECIMAL} under {@code decimal.handling.mode=double} a plain double).
 *
 * @param connectType the Connect schema type ({@code int64}, {@code bytes}, ...), or {@code null}
 * @param connectName the Connect schema's semantic name ({@code io.debezium.time.Date}, ...), or
 *     {@code null}
 * @param connectScale the {@code scale} parameter of a Connect {@code Decimal}, or {@code null}
 * @param typeName the database type name ({@code DECIMAL}, {@code BIGINT UNSIGNED}, ...), or {@code
 *     null}
 * @param length the column's length: the precision of a DECIMAL, the fractional-second digits of a
 *     TIME/DATETIME/TIMESTAMP, the bits of a BIT; or {@code null}
 * @param scale the column's scale (DECIMAL), or {@code null}
 * @param json whether the column holds JSON documents
 */
public record ColumnType(
    String connectType,
    String connectName,
    Integer connectScale,
    String typeName,
    Integer length,
    Integer scale,
    boolean json) {

  /** Nothing known. */
  public static final ColumnType UNKNOWN =
      new ColumnType(null, null, null, null, null, null, false);

  /** From one field of a Connect struct schema ({@code schema.fields[].fields[]}). */
  public static ColumnType ofConnectField(JsonNode field) {
    JsonNode scale = field.path("parameters").path("scale");
    return new ColumnType(
        field.path("type").asText(null),
        field.path("name").asText(null),
        scale.isMissingNode() || scale.isNull() ? null : Integer.valueOf(scale.asText()),
        null,
        null,
        null,
        "io.debezium.data.Json".equals(field.path("name").asText(null)));
  }

  /** From a table structure's column. */
  public static ColumnType ofColumn(String typeName, Integer length, Integer scale, boolean json) {
    return new ColumnType(
        null,
        null,
        null,
        typeName == null ? null : typeName.toUpperCase(Locale.ROOT),
        length,
        scale,
        json || "JSON".equalsIgnoreCase(typeName));
  }

  /** This Connect-side type completed with what the table structure knows. */
  public ColumnType with(ColumnType column) {
    if (column == null) {
      return this;
    }
    return new ColumnType(
        connectType,
        connectName,
        connectScale,
        column.typeName,
        column.length,
        column.scale,
        json || column.json);
  }

  public boolean isKnown() {
    return connectType != null || typeName != null;
  }

  /** The database type's first word ({@code BIGINT} of {@code BIGINT UNSIGNED}), or "". */
  String baseType() {
    if (typeName == null) {
      return "";
    }
    int space = typeName.indexOf(' ');
    return space < 0 ? typeName : typeName.substring(0, space);
  }

  boolean unsigned() {
    return typeName != null && typeName.contains("UNSIGNED");
  }
}
