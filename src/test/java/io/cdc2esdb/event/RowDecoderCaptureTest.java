package io.cdc2esdb.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdc2esdb.dev.CaptureRecord;
import io.cdc2esdb.envelope.ChangeEvent;
import io.cdc2esdb.envelope.EnvelopeParser;
import io.cdc2esdb.envelope.Operation;
import io.cdc2esdb.envelope.Origin;
import io.cdc2esdb.envelope.ParsedRecord;
import io.cdc2esdb.values.SelectText;
import io.cdc2esdb.values.ValueCapture;
import io.cdc2esdb.values.ValueTypesWorkload;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Decodes real captures of {@link ValueTypesWorkload} (every column type, with and without the
 * schema wrapper, each {@code decimal.handling.mode}) and compares each change's row with what
 * MariaDB showed right after it. Every DDL is applied before any row, so rows written before the
 * {@code ALTER TABLE ... MODIFY} must find their own, older types by binlog position.
 */
class RowDecoderCaptureTest {

  private final EnvelopeParser parser = new EnvelopeParser();

  static Stream<Arguments> captures() {
    return Stream.of(
        Arguments.of("value-types-schemas-precise", ValueOptions.DecimalHandling.PRECISE),
        Arguments.of("value-types-schemas-string", ValueOptions.DecimalHandling.STRING),
        Arguments.of("value-types-schemas-double", ValueOptions.DecimalHandling.DOUBLE),
        Arguments.of("value-types-precise", ValueOptions.DecimalHandling.PRECISE),
        Arguments.of("value-types-string", ValueOptions.DecimalHandling.STRING),
        Arguments.of("value-types-double", ValueOptions.DecimalHandling.DOUBLE));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("captures")
  void shouldDecodeEveryChangeToTheRowMariaDbShowed(
      String name, ValueOptions.DecimalHandling mode) {
    ValueCapture capture = ValueCapture.load(name);
    Map<String, TableHistory> tables = tables(capture);
    RowDecoder decoder =
        new RowDecoder(
            new ValueOptions(ValueOptions.Binary.BASE64, ValueOptions.JsonColumns.VALUE, mode));

    List<String> mismatches = new ArrayList<>();
    int changes = 0;
    for (CaptureRecord record : capture.changes()) {
      ParsedRecord.Change change = parse(record);
      ChangeEvent event = change.event();
      TableHistory.Version structure =
          tables.get(TableKeys.of(event.source().db(), event.source().table())).at(event.source());
      RowDecoder.Decoded decoded = decoder.decode(event, change.valueSchema(), structure);
      assertThat(decoded.undecoded()).isZero();
      JsonNode row =
          event.op() == Operation.DELETE ? decoded.event().before() : decoded.event().after();
      var expected = capture.expectedRow(event.source().gtid(), row.get("id").asInt());
      SelectText.mismatches(row, expected, mode == ValueOptions.DecimalHandling.DOUBLE)
          .forEach(m -> mismatches.add(event.op() + " id " + row.get("id") + " " + m));
      changes++;
    }
    assertThat(changes).isEqualTo(capture.expected().size()).isEqualTo(7);
    assertThat(mismatches).isEmpty();
  }

  @Test
  void shouldDecodeRowsBeforeAndAfterTheAlterWithTheirOwnScale() {
    ValueCapture capture = ValueCapture.load("value-types-precise");
    Map<String, TableHistory> tables = tables(capture);
    RowDecoder decoder = new RowDecoder(ValueOptions.DEFAULTS);
    Map<String, String> decimalByGtid = new HashMap<>();
    for (CaptureRecord record : capture.changes()) {
      ChangeEvent event = parse(record).event();
      TableHistory.Version structure =
          tables.get(TableKeys.of(event.source().db(), event.source().table())).at(event.source());
      JsonNode after = decoder.decode(event, null, structure).event().after();
      if (after != null && !after.get("d_10_2").isNull()) {
        decimalByGtid.put(String.valueOf(event.source().gtid()), after.get("d_10_2").asText());
      }
    }
    // DECIMAL(10,2) before the ALTER, DECIMAL(14,4) after it.
    assertThat(decimalByGtid)
        .containsEntry("null", "12.50")
        .containsEntry("0-1-6", "-99999999.99")
        .containsEntry("0-1-8", "0.05")
        .containsEntry("0-1-10", "1234567890.1234")
        .containsEntry("0-1-11", "42.4242");
  }

  @Test
  void shouldDecodeDecimalsAndTimesFromTheSchemaWrapperAlone() {
    ValueCapture capture = ValueCapture.load("value-types-schemas-precise");
    ParsedRecord.Change change = parse(capture.changes().get(0));
    RowDecoder.Decoded decoded =
        new RowDecoder(ValueOptions.DEFAULTS).decode(change.event(), change.valueSchema(), null);
    JsonNode after = decoded.event().after();
    assertThat(decoded.undecoded()).isZero();
    assertThat(after.get("d_10_2").asText()).isEqualTo("12.50");
    assertThat(after.get("d_38_10").asText()).isEqualTo("12345678901234567890.1234567890");
    assertThat(after.get("dt").asText()).isEqualTo("2024-09-01");
    assertThat(after.get("tm3").asText()).isEqualTo("10:00:00.123");
    assertThat(after.get("dtm3").asText()).isEqualTo("2024-09-01T10:00:00.120");
    assertThat(after.get("dtm6").asText()).isEqualTo("2024-09-01T10:00:00.123456");
    assertThat(after.get("b12").asInt()).isEqualTo(2730);
    // What the Connect schema cannot say (MariaDB's JSON is a plain string, an unsigned BIGINT a
    // plain int64) stays as Debezium wrote it until the table structure is known.
    assertThat(after.get("js").isTextual()).isTrue();
    assertThat(after.get("t_big_u").asLong()).isEqualTo(-446744073709551616L);
  }

  @Test
  void shouldKeepAndCountValuesOfATableWhoseStructureIsUnknown() {
    ValueCapture capture = ValueCapture.load("value-types-precise");
    ParsedRecord.Change change = parse(capture.changes().get(1));
    RowDecoder.Decoded decoded =
        new RowDecoder(ValueOptions.DEFAULTS).decode(change.event(), null, null);
    assertThat(decoded.event().after()).isEqualTo(change.event().after());
    long nonNull = 0;
    for (JsonNode v : change.event().after()) {
      nonNull += v.isNull() ? 0 : 1;
    }
    assertThat(decoded.undecoded()).isEqualTo(nonNull).isEqualTo(40);
  }

  @Test
  void shouldWriteTheDecodedRowsIntoThePayloadToo() {
    ValueCapture capture = ValueCapture.load("value-types-precise");
    ChangeEvent event = parse(capture.changes().get(3)).event();
    TableHistory.Version structure = tables(capture).get("typed.value_types").at(event.source());
    ChangeEvent decoded =
        new RowDecoder(ValueOptions.DEFAULTS).decode(event, null, structure).event();
    assertThat(decoded.payload().get("after")).isEqualTo(decoded.after());
    assertThat(decoded.payload().get("before")).isEqualTo(decoded.before());
    assertThat(decoded.before().get("d_10_2").asText()).isEqualTo("12.50");
    assertThat(event.payload().get("after").get("d_10_2").asText()).isEqualTo("BQ==");
  }

  private Map<String, TableHistory> tables(ValueCapture capture) {
    SchemaChangeParser schemaChanges = new SchemaChangeParser();
    Map<String, TableHistory> tables = new HashMap<>();
    for (CaptureRecord record : capture.schemaChanges()) {
      for (SchemaChangeParser.TableChange change :
          schemaChanges.parse(
              record.value(), key -> tables.getOrDefault(key, TableHistory.empty()).latest())) {
        tables.merge(
            change.tableKey(),
            TableHistory.empty().with(change.version()),
            (old, added) -> old.with(change.version()));
      }
    }
    return tables;
  }

  private ParsedRecord.Change parse(CaptureRecord record) {
    ParsedRecord parsed =
        parser.parse(
            new Origin(record.topic(), record.partition(), record.offset(), record.timestamp()),
            record.key(),
            record.valueUtf8().getBytes(StandardCharsets.UTF_8));
    return (ParsedRecord.Change) parsed;
  }
}
