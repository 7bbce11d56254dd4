package io.cdc2esdb.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.cdc2esdb.event.ValueOptions.Binary;
import io.cdc2esdb.event.ValueOptions.DecimalHandling;
import io.cdc2esdb.event.ValueOptions.JsonColumns;
import org.junit.jupiter.api.Test;

/** The choices the captures do not cover: the options, and values of an unexpected shape. */
class NaturalValuesTest {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private final NaturalValues defaults = new NaturalValues(ValueOptions.DEFAULTS);

  @Test
  void shouldWriteBinaryAsLowerCaseHexWhenAskedTo() {
    NaturalValues hex =
        new NaturalValues(new ValueOptions(Binary.HEX, JsonColumns.VALUE, DecimalHandling.PRECISE));
    ColumnType varbinary = ColumnType.ofColumn("VARBINARY", 16, null, false);

    assertThat(hex.decode(varbinary, NODES.textNode("3q2+7w==")).asText()).isEqualTo("deadbeef");
    assertThat(defaults.decode(varbinary, NODES.textNode("3q2+7w==")).asText())
        .isEqualTo("3q2+7w==");
  }

  @Test
  void shouldKeepJsonColumnsAsTextWhenAskedTo() {
    NaturalValues text =
        new NaturalValues(
            new ValueOptions(Binary.BASE64, JsonColumns.TEXT, DecimalHandling.PRECISE));
    ColumnType json = ColumnType.ofColumn("LONGTEXT", null, null, true);
    JsonNode value = NODES.textNode("{\"a\": [1, 2]}");

    assertThat(text.decode(json, value)).isEqualTo(value);
    assertThat(defaults.decode(json, value).at("/a/1").asInt()).isEqualTo(2);
  }

  @Test
  void shouldKeepAValueOfAnUnexpectedShapeAsItIs() {
    ColumnType decimal = ColumnType.ofColumn("DECIMAL", 10, 2, false);
    ColumnType date = ColumnType.ofColumn("DATE", null, null, false);
    ColumnType json = ColumnType.ofColumn("JSON", null, null, false);

    assertThat(defaults.decode(decimal, NODES.textNode("not a number!")).asText())
        .isEqualTo("not a number!");
    assertThat(defaults.decode(date, NODES.textNode("2024-09-01")).asText())
        .isEqualTo("2024-09-01");
    assertThat(defaults.decode(json, NODES.textNode("{broken")).asText()).isEqualTo("{broken");
    assertThat(defaults.decode(decimal, NODES.nullNode()).isNull()).isTrue();
  }

  @Test
  void shouldReadADecimalWithoutSchemaByTheConnectorsDecimalHandlingMode() {
    ColumnType wholeNumber = ColumnType.ofColumn("DECIMAL", 8, 0, false);
    NaturalValues string =
        new NaturalValues(
            new ValueOptions(Binary.BASE64, JsonColumns.VALUE, DecimalHandling.STRING));

    // "1234" is both valid base64 and a decimal's text: the setting decides.
    assertThat(string.decode(wholeNumber, NODES.textNode("1234")).asText()).isEqualTo("1234");
    assertThat(defaults.decode(wholeNumber, NODES.textNode("1234")).asText()).isEqualTo("-2658824");
    // Text with a point is never base64, whatever the setting says.
    assertThat(
            defaults
                .decode(ColumnType.ofColumn("DECIMAL", 10, 2, false), NODES.textNode("12.5"))
                .asText())
        .isEqualTo("12.50");
  }

  @Test
  void shouldShowMillisOrMicrosWhenTheSchemaDoesNotGiveTheDigits() {
    ColumnType micro =
        new ColumnType("int64", "io.debezium.time.MicroTimestamp", null, null, null, null, false);

    assertThat(defaults.decode(micro, NODES.numberNode(1725184800000000L)).asText())
        .isEqualTo("2024-09-01T10:00:00");
    assertThat(defaults.decode(micro, NODES.numberNode(1725184800120000L)).asText())
        .isEqualTo("2024-09-01T10:00:00.120");
    assertThat(defaults.decode(micro, NODES.numberNode(1725184800000001L)).asText())
        .isEqualTo("2024-09-01T10:00:00.000001");
  }
}
