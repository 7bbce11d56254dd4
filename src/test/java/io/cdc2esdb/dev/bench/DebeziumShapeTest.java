package io.cdc2esdb.dev.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdc2esdb.envelope.EnvelopeParser;
import io.cdc2esdb.envelope.Json;
import io.cdc2esdb.envelope.Operation;
import io.cdc2esdb.envelope.Origin;
import io.cdc2esdb.envelope.ParsedRecord;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;

/** The generated records have the captured MariaDB records' shape, field for field. */
class DebeziumShapeTest {

  private static final long NOW = 1_795_551_162_607L;
  private final DebeziumShape shape = new DebeziumShape("dbserver1", 400, "run-1");

  @Test
  void shouldWriteBeginTheChangesWithATombstoneAfterEachDeleteThenEnd() {
    Workload.Transaction txn =
        new Workload.Transaction(
            12,
            List.of(
                new Workload.Change(Workload.Op.INSERT, 1001, 1),
                new Workload.Change(Workload.Op.UPDATE, 1002, 3),
                new Workload.Change(Workload.Op.DELETE, 1003, 4)));
    List<ProducerRecord<byte[], byte[]>> records = shape.records(txn, NOW);

    assertThat(records)
        .extracting(ProducerRecord::topic)
        .containsExactly(
            "dbserver1.transaction",
            "dbserver1.inventory.customers",
            "dbserver1.inventory.customers",
            "dbserver1.inventory.customers",
            "dbserver1.inventory.customers",
            "dbserver1.transaction");
    assertThat(records.get(4).value()).as("tombstone").isNull();
    assertThat(new String(records.get(4).key(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":1003}");
    JsonNode end = json(records.get(5).value());
    assertThat(end.path("status").asText()).isEqualTo("END");
    assertThat(end.path("id").asText()).isEqualTo("0-1-12");
    assertThat(end.path("event_count").asInt()).isEqualTo(3);
    assertThat(end.path("data_collections").get(0).path("event_count").asInt()).isEqualTo(3);
    assertThat(records).allSatisfy(r -> assertThat(r.timestamp()).isEqualTo(NOW));
    assertThat(json(records.get(3).value()).path("transaction").path("total_order").asInt())
        .isEqualTo(3);
  }

  @Test
  void shouldHaveTheFieldsOfTheCapturedRecordsInTheirOrder() throws IOException {
    JsonNode captured = fixture("03_update_u.json").get(0);
    JsonNode update = json(record(Workload.Op.UPDATE).value());
    assertThat(names(update)).isEqualTo(names(captured.get("value")));
    assertThat(names(update.get("source"))).isEqualTo(names(captured.get("value").get("source")));
    assertThat(names(update.get("transaction")))
        .isEqualTo(names(captured.get("value").get("transaction")));
    assertThat(update.path("source").path("connector").asText()).isEqualTo("mariadb");
    assertThat(update.path("source").path("ts_ms").asLong()).isEqualTo(NOW);
    assertThat(update.path("ts_ms").asLong()).isEqualTo(NOW);

    List<String> headers = new ArrayList<>();
    for (Header h : record(Workload.Op.UPDATE).headers()) {
      headers.add(h.key());
    }
    assertThat(headers).containsExactlyElementsOf(names(captured.get("headers_raw_utf8")));

    JsonNode begin = fixture("06_transaction_BEGIN.json").get(0).get("value");
    JsonNode end = fixture("07_transaction_END.json").get(0).get("value");
    List<ProducerRecord<byte[], byte[]>> txn = shape.records(transaction(Workload.Op.UPDATE), NOW);
    assertThat(names(json(txn.get(0).value()))).isEqualTo(names(begin));
    assertThat(names(json(txn.get(txn.size() - 1).value()))).isEqualTo(names(end));
  }

  @Test
  void shouldCarryRowsOfAboutFourHundredBytes() {
    JsonNode insert = json(record(Workload.Op.INSERT).value());
    assertThat(insert.get("before").isNull()).isTrue();
    assertThat(Json.bytes(insert.get("after")).length).isBetween(390, 410);
    JsonNode delete = json(record(Workload.Op.DELETE).value());
    assertThat(delete.get("after").isNull()).isTrue();
    assertThat(Json.bytes(delete.get("before")).length).isBetween(390, 410);
  }

  @Test
  void shouldBeReadByTheProjectsParserAsTheSameChange() {
    ProducerRecord<byte[], byte[]> r = record(Workload.Op.UPDATE);
    ParsedRecord parsed =
        new EnvelopeParser().parse(new Origin(r.topic(), 0, 0, NOW), r.key(), r.value());
    assertThat(parsed).isInstanceOf(ParsedRecord.Change.class);
    var event = ((ParsedRecord.Change) parsed).event();
    assertThat(event.op()).isEqualTo(Operation.UPDATE);
    assertThat(event.key().path("id").asInt()).isEqualTo(1001);
    assertThat(event.after().path("last_name").asText()).isEqualTo("Last1001-v2");
    assertThat(event.before().path("last_name").asText()).isEqualTo("Last1001-v1");
    assertThat(event.transaction().id()).isEqualTo("0-1-1");
    assertThat(event.source().tsMs()).isEqualTo(NOW);
  }

  private ProducerRecord<byte[], byte[]> record(Workload.Op op) {
    return shape.records(transaction(op), NOW).get(1);
  }

  private static Workload.Transaction transaction(Workload.Op op) {
    return new Workload.Transaction(1, List.of(new Workload.Change(op, 1001, 2)));
  }

  private static List<String> names(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static JsonNode json(byte[] bytes) {
    try {
      return Json.read(bytes);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private static JsonNode fixture(String name) throws IOException {
    try (InputStream in =
        DebeziumShapeTest.class.getResourceAsStream("/fixtures/debezium-mariadb-3.5/" + name)) {
      return Json.read(in.readAllBytes());
    }
  }
}
