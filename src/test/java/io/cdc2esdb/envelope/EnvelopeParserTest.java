package io.cdc2esdb.envelope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdc2esdb.dev.CaptureFile;
import io.cdc2esdb.dev.CaptureRecord;
import io.cdc2esdb.error.DeadLetterCode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Parsing real captured Debezium records, and every way a record can be wrong. */
class EnvelopeParserTest {

  private static final Origin ORIGIN = new Origin("dbserver1.inventory.customers", 0, 5, 1L);
  private final EnvelopeParser parser = new EnvelopeParser();

  @Test
  void shouldReadAMariaDbCreateWithItsGtidAndTransaction() throws IOException {
    ChangeEvent event = change(fixture("02_create_c.json", 0));
    assertThat(event.op()).isEqualTo(Operation.CREATE);
    assertThat(event.source().gtid()).matches("0-1-\\d+");
    assertThat(event.transaction().id()).isEqualTo(event.source().gtid());
    assertThat(event.transaction().totalOrder()).isPositive();
    assertThat(event.after().get("id").asInt()).isEqualTo(event.key().get("id").asInt());
    assertThat(event.source().readBySnapshot()).isFalse();
  }

  @Test
  void shouldReadASnapshotRowWithoutTransaction() throws IOException {
    ChangeEvent event = change(fixture("01_snapshot_read_r.json", 0));
    assertThat(event.op()).isEqualTo(Operation.READ);
    assertThat(event.transaction()).isNull();
    assertThat(event.source().gtid()).isNull();
    assertThat(event.source().readBySnapshot()).isTrue();
  }

  @Test
  void shouldReadAnUpdateWithBeforeAndAfterAndADeleteWithBefore() throws IOException {
    ChangeEvent update = change(fixture("03_update_u.json", 0));
    ChangeEvent delete = change(fixture("04_delete_d.json", 0));
    assertThat(update.before()).isNotNull();
    assertThat(update.after()).isNotNull();
    assertThat(delete.op()).isEqualTo(Operation.DELETE);
    assertThat(delete.after()).isNull();
    assertThat(delete.before()).isNotNull();
  }

  @Test
  void shouldTreatANullValueAsATombstone() {
    assertThat(parser.parse(ORIGIN, bytes("{\"id\":1}"), null))
        .isInstanceOf(ParsedRecord.Tombstone.class);
  }

  @Test
  void shouldUnwrapTheConverterSchemaWrapperOfKeyAndValue() {
    String value =
        "{\"schema\":{\"type\":\"struct\"},\"payload\":"
            + create("\"gtid\":\"0-1-3\"", "{\"id\":3,\"name\":\"x\"}")
            + "}";
    String key = "{\"schema\":{\"type\":\"struct\"},\"payload\":{\"id\":3}}";
    ChangeEvent event = change(parser.parse(ORIGIN, bytes(key), bytes(value)));
    assertThat(event.key().toString()).isEqualTo("{\"id\":3}");
    assertThat(event.after().get("name").asText()).isEqualTo("x");
    assertThat(event.payload().has("schema")).isFalse();
  }

  @Test
  void shouldReadAMySqlGtid() {
    String gtid = "3e11fa47-71ca-11e1-9e33-c80aa9429562:23";
    ChangeEvent event =
        change(
            parser.parse(
                ORIGIN, bytes("{\"id\":1}"), bytes(create("\"gtid\":\"" + gtid + "\"", "{}"))));
    assertThat(event.source().gtid()).isEqualTo(gtid);
  }

  @Test
  void shouldKeepCompositeKeyColumnsInKeyOrder() {
    ChangeEvent event =
        change(
            parser.parse(
                ORIGIN, bytes("{\"order_id\":10001,\"line\":2}"), bytes(create("", "{}"))));
    assertThat(event.key().fieldNames()).toIterable().containsExactly("order_id", "line");
  }

  @Test
  void shouldIgnoreAMessageOp() {
    String value = "{\"op\":\"m\",\"source\":{}}";
    assertThat(parser.parse(ORIGIN, null, bytes(value))).isInstanceOf(ParsedRecord.Ignored.class);
  }

  @Test
  void shouldReadATruncateWithoutRowImages() {
    String value = create("", "null").replace("\"op\":\"c\"", "\"op\":\"t\"");
    ChangeEvent event = change(parser.parse(ORIGIN, null, bytes(value)));
    assertThat(event.op()).isEqualTo(Operation.TRUNCATE);
    assertThat(event.key()).isNull();
  }

  @Test
  void shouldGiveASnapshotRowOfAKeylessTableItsRecordOffsetAsOrdinal() throws IOException {
    ChangeEvent keyless =
        change(parser.parse(new Origin("t", 0, 42, 1L), null, bytes(snapshotRow("\"true\""))));
    assertThat(keyless.source().ordinal()).isEqualTo(42);
    ChangeEvent emptyKey =
        change(
            parser.parse(new Origin("t", 0, 43, 1L), bytes("{}"), bytes(snapshotRow("\"last\""))));
    assertThat(emptyKey.source().ordinal()).isEqualTo(43);
  }

  @Test
  void shouldGiveNoOrdinalToKeyedRowsAndToStreamingChanges() throws IOException {
    assertThat(change(fixture("01_snapshot_read_r.json", 0)).source().ordinal())
        .isEqualTo(SourcePosition.NO_ORDINAL);
    assertThat(change(parser.parse(ORIGIN, null, bytes(create("", "{}")))).source().ordinal())
        .isEqualTo(SourcePosition.NO_ORDINAL);
    assertThat(
            change(parser.parse(ORIGIN, null, bytes(snapshotRow("\"false\"")))).source().ordinal())
        .isEqualTo(SourcePosition.NO_ORDINAL);
  }

  @Test
  void shouldNameMalformedJson() {
    assertKind("{\"op\":", DeadLetterCode.MALFORMED_JSON, "value is not valid JSON");
  }

  @Test
  void shouldNameAMissingOp() {
    assertKind("{\"after\":{}}", DeadLetterCode.MISSING_FIELD, "'op'");
  }

  @Test
  void shouldNameAMissingSource() {
    assertKind("{\"op\":\"c\",\"after\":{}}", DeadLetterCode.MISSING_FIELD, "'source'");
  }

  @Test
  void shouldNameAMissingAfterForACreate() {
    assertKind(create("", "null"), DeadLetterCode.MISSING_FIELD, "'after'");
  }

  @Test
  void shouldNameAnUnknownOp() {
    assertKind(
        create("", "{}").replace("\"op\":\"c\"", "\"op\":\"z\""), DeadLetterCode.UNKNOWN_OP, "'z'");
  }

  @Test
  void shouldNameAKeyThatIsNotAnObject() {
    assertThatThrownBy(() -> parser.parse(ORIGIN, bytes("[1]"), bytes(create("", "{}"))))
        .isInstanceOfSatisfying(
            EnvelopeException.class,
            e -> assertThat(e.code()).isEqualTo(DeadLetterCode.KEY_NOT_AN_OBJECT));
  }

  private void assertKind(String value, DeadLetterCode kind, String message) {
    assertThatThrownBy(() -> parser.parse(ORIGIN, bytes("{\"id\":1}"), bytes(value)))
        .isInstanceOfSatisfying(EnvelopeException.class, e -> assertThat(e.code()).isEqualTo(kind))
        .hasMessageContaining(message);
  }

  static String create(String extraSource, String after) {
    return "{\"before\":null,\"after\":"
        + after
        + ",\"op\":\"c\",\"source\":{\"connector\":\"mysql\",\"name\":\"s\",\"db\":\"d\","
        + "\"table\":\"t\",\"file\":\"binlog.000001\",\"pos\":4,\"row\":0"
        + (extraSource.isEmpty() ? "" : "," + extraSource)
        + "}}";
  }

  private static String snapshotRow(String snapshot) {
    return create("\"snapshot\":" + snapshot, "{\"page\":\"home\"}")
        .replace("\"op\":\"c\"", "\"op\":\"r\"");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "mariadb-3.5-schemas.jsonl",
        "mariadb-3.5-no-transactions.jsonl",
        "value-types-precise.jsonl",
        "value-types-schemas-precise.jsonl"
      })
  void shouldKnowWhereThePayloadAndItsRowsLieInTheRecord(String capture) throws IOException {
    List<CaptureRecord> records;
    try (InputStream in = getClass().getResourceAsStream("/captures/" + capture)) {
      records = CaptureFile.read(in, capture);
    }
    int changes = 0;
    for (CaptureRecord record : records) {
      if (record.isTombstone() || !record.topic().matches("[^.]+\\.[^.]+\\.[^.]+")) {
        continue;
      }
      ParsedRecord parsed = parser.parse(ORIGIN, record.key(), record.value());
      if (!(parsed instanceof ParsedRecord.Change change)) {
        continue;
      }
      ChangeEvent event = change.event();
      RawJson raw = event.raw();
      assertThat(raw).isNotNull();
      assertThat(Json.read(raw.payload())).isEqualTo(event.payload());
      assertThat(raw.payload().length <= record.value().length).isTrue();
      if (change.valueSchema() != null) {
        // The wrapper's schema is not part of the payload's bytes.
        assertThat(new String(raw.payload(), StandardCharsets.UTF_8)).doesNotContain("\"schema\"");
      }
      assertThat(raw.before() == null ? null : Json.read(raw.before())).isEqualTo(event.before());
      assertThat(raw.after() == null ? null : Json.read(raw.after())).isEqualTo(event.after());
      changes++;
    }
    assertThat(changes).isPositive();
  }

  @Test
  void shouldTakeTheLastOfARepeatedFieldAsATreeDoes() throws IOException {
    String value =
        create("\"gtid\":\"0-1-3\"", "{\"id\":3}")
            .replaceFirst("\\{", "{\"after\":{\"id\":1,\"stale\":true},");
    ChangeEvent event = change(parser.parse(ORIGIN, bytes("{\"id\":3}"), bytes(value)));

    assertThat(event.payload()).isEqualTo(Json.read(bytes(value)));
    assertThat(event.after()).isEqualTo(Json.read(bytes("{\"id\":3}")));
    assertThat(event.raw().after()).isEqualTo(bytes("{\"id\":3}"));
  }

  @Test
  void shouldReadTheSchemaWrapperOnlyWhenItHoldsExactlySchemaAndPayload() {
    String payload = create("", "{\"id\":1}");
    assertThat(parser.parse(ORIGIN, null, bytes("{\"schema\":{},\"payload\":null}")))
        .isInstanceOf(ParsedRecord.Tombstone.class);
    assertThat(parser.parse(ORIGIN, null, bytes("null")))
        .isInstanceOf(ParsedRecord.Tombstone.class);
    assertKind("{\"schema\":{},\"payload\":[1]}", DeadLetterCode.NOT_AN_OBJECT, "ARRAY");
    assertKind("\"text\"", DeadLetterCode.NOT_AN_OBJECT, "STRING");
    // A third field: not a wrapper, so the envelope's fields are missing from the top level.
    assertKind(
        "{\"schema\":{},\"payload\":" + payload + ",\"extra\":1}",
        DeadLetterCode.MISSING_FIELD,
        "'op'");
    ChangeEvent wrapped =
        change(parser.parse(ORIGIN, null, bytes("{\"payload\":" + payload + ",\"schema\":{}}")));
    assertThat(wrapped.after()).isEqualTo(Json.object().put("id", 1));
  }

  @Test
  void shouldKeepARowThatIsNotAnObjectAsItsTreeSaysIt() throws IOException {
    ChangeEvent event = change(parser.parse(ORIGIN, null, bytes(create("", "\"x\""))));

    assertThat(event.after().asText()).isEqualTo("x");
    assertThat(event.afterBytes()).isEqualTo(bytes("\"x\""));
    assertThat(event.beforeBytes()).isNull();
    assertThat(event.payload()).isEqualTo(Json.read(bytes(create("", "\"x\""))));
  }

  @Test
  void shouldReadTheSameChangeAsFromTheWholeTree() throws IOException {
    String value = create("\"gtid\":\"0-1-9\"", "{\"id\":9,\"n\":[1,{\"a\":null}]}");
    ChangeEvent event = change(parser.parse(ORIGIN, bytes("{\"id\":9}"), bytes(value)));
    JsonNode tree = Json.read(bytes(value));
    ChangeEvent fromTree =
        new ChangeEvent(
            event.op(),
            event.key(),
            null,
            tree.get("after"),
            (ObjectNode) tree,
            event.source(),
            event.transaction(),
            event.origin(),
            null);

    assertThat(event).isEqualTo(fromTree).hasSameHashCodeAs(fromTree);
    assertThat(event.afterBytes()).isEqualTo(Json.bytes(tree.get("after")));
    assertThat(event.payloadBytes()).isEqualTo(bytes(value));
  }

  @Test
  void shouldReadSourceAndTransactionFieldsAsTheirTreesWould() {
    String value =
        create(
                "\"gtid\":\"0-1-4\",\"row\":\"3\",\"ts_ms\":1.5e3,\"extra\":{\"a\":[1]}",
                "{\"id\":1}")
            .replace("\"pos\":4", "\"pos\":4.0,\"pos\":18446744073709551")
            .replace(
                "\"op\":\"c\"",
                "\"op\":\"c\",\"transaction\":{\"id\":7,\"total_order\":\"2\",\"x\":null}");
    ChangeEvent event = change(parser.parse(ORIGIN, null, bytes(value)));

    // A repeated name keeps its last value; text and numbers convert as JsonNode's as*() do.
    assertThat(event.source().pos()).isEqualTo(18446744073709551L);
    assertThat(event.source().row()).isEqualTo(3);
    assertThat(event.source().tsMs()).isEqualTo(1500);
    assertThat(event.transaction()).isEqualTo(new TransactionRef("7", 2, 0));
    assertKind(
        create("", "{\"id\":1}").replace("\"op\":\"c\"", "\"op\":\"c\",\"transaction\":\"t\""),
        DeadLetterCode.MISSING_FIELD,
        "'transaction.id'");
    assertKind(
        "{\"op\":\"c\",\"after\":{},\"source\":[1]}",
        DeadLetterCode.MISSING_FIELD,
        "'source' object");
  }

  private ParsedRecord fixture(String file, int index) throws IOException {
    try (InputStream in =
        getClass().getResourceAsStream("/fixtures/debezium-mariadb-3.5/" + file)) {
      JsonNode record = Json.MAPPER.readTree(in).get(index);
      return parser.parse(
          ORIGIN, bytes(record.get("key_raw_utf8").asText()), Json.bytes(record.get("value")));
    }
  }

  private static ChangeEvent change(ParsedRecord parsed) {
    assertThat(parsed).isInstanceOf(ParsedRecord.Change.class);
    return ((ParsedRecord.Change) parsed).event();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
