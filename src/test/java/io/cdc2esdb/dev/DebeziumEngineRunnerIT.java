package io.cdc2esdb.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real MariaDB -> real Debezium (embedded) -> real broker, as {@code demo} and the E2E tests use.
 */
@MariaDbRequirement.RequiresMariaDb
class DebeziumEngineRunnerIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String GTID = "0-1-\\d+";

  private static MariaDbInstance mariaDb;
  private static EmbeddedKafka kafka;

  @BeforeAll
  static void startServers() {
    mariaDb = MariaDbInstance.start();
    kafka = EmbeddedKafka.start();
    mariaDb.execute(
        "CREATE DATABASE inventory",
        "CREATE TABLE inventory.customers (id INT PRIMARY KEY, first_name VARCHAR(255),"
            + " email VARCHAR(255))",
        "INSERT INTO inventory.customers VALUES (1001, 'Sally', 'sally@example.com'),"
            + " (1002, 'George', 'gbailey@example.com')");
  }

  @AfterAll
  static void stopServers() {
    if (kafka != null) {
      kafka.close();
    }
    if (mariaDb != null) {
      mariaDb.close();
    }
  }

  @Test
  void shouldProduceSnapshotChangesTransactionsAndSchemaChangesWithMariaDbGtids() {
    try (DebeziumEngineRunner engine = engine("it1", false)) {
      engine.awaitStreaming(Duration.ofSeconds(60));
      mariaDb.execute(
          "BEGIN",
          "INSERT INTO inventory.customers VALUES (1003, 'Edward', 'ed@walker.com')",
          "UPDATE inventory.customers SET email = 'sally@new.example.com' WHERE id = 1001",
          "COMMIT",
          "DELETE FROM inventory.customers WHERE id = 1002");

      String data = engine.tableTopic("inventory", "customers");
      List<CaptureRecord> all =
          TopicReader.readUntil(
              kafka.bootstrapServers(),
              List.of(data, engine.transactionTopic(), engine.schemaChangeTopic()),
              records -> count(records, data) >= 6 && count(records, "it1.transaction") >= 4,
              Duration.ofSeconds(60));

      List<CaptureRecord> rows = on(all, data);
      assertThat(rows).extracting(r -> op(r)).containsExactly("r", "r", "c", "u", "d", null);
      assertThat(rows.get(0).keyUtf8()).isEqualTo("{\"id\":1001}");
      assertThat(rows.get(5).keyUtf8()).isEqualTo("{\"id\":1002}");
      JsonNode insert = json(rows.get(2));
      JsonNode update = json(rows.get(3));
      JsonNode delete = json(rows.get(4));
      assertThat(json(rows.get(0)).at("/source/gtid").isNull()).isTrue();
      assertThat(insert.at("/source/gtid").asText()).matches(GTID);
      assertThat(update.at("/source/gtid").asText()).isEqualTo(insert.at("/source/gtid").asText());
      assertThat(delete.at("/source/gtid").asText()).matches(GTID).isNotEqualTo(gtid(insert));
      assertThat(insert.at("/transaction/id").asText()).isEqualTo(gtid(insert));
      assertThat(update.at("/before/email").asText()).isEqualTo("sally@example.com");
      // Connect's header converter: bare values, not the engine's JSON-quoted ones.
      assertThat(rows.get(2).lastHeader("__debezium.context.connectorLogicalName").valueUtf8())
          .isEqualTo("it1");

      List<JsonNode> transactions = on(all, "it1.transaction").stream().map(r -> json(r)).toList();
      assertThat(transactions)
          .extracting(t -> t.get("status").asText() + " " + t.get("id").asText())
          .containsExactly(
              "BEGIN " + gtid(insert),
              "END " + gtid(insert),
              "BEGIN " + gtid(delete),
              "END " + gtid(delete));
      assertThat(transactions.get(1).get("event_count").asInt()).isEqualTo(2);
      assertThat(on(all, "it1.transaction").get(0).keyUtf8())
          .isEqualTo("{\"id\":\"" + gtid(insert) + "\"}");

      Set<String> ddl =
          on(all, "it1").stream().map(r -> json(r).get("ddl").asText()).collect(Collectors.toSet());
      assertThat(ddl).anyMatch(statement -> statement.startsWith("CREATE TABLE `customers`"));
      assertThat(engine.recordsProduced()).isGreaterThanOrEqualTo(all.size());
      assertThat(engine.failure()).isEmpty();
    }
  }

  @Test
  void shouldWrapKeysAndValuesInTheirSchemaWhenAsked() {
    try (DebeziumEngineRunner engine = engine("it2", true)) {
      String data = engine.tableTopic("inventory", "customers");
      List<CaptureRecord> rows =
          TopicReader.readUntil(
              kafka.bootstrapServers(),
              List.of(data),
              records -> !records.isEmpty(),
              Duration.ofSeconds(60));
      assertThat(rows).as("snapshot records (engine failure: %s)", engine.failure()).isNotEmpty();

      JsonNode key = parse(rows.get(0).keyUtf8());
      JsonNode value = json(rows.get(0));
      assertThat(key.at("/schema/type").asText()).isEqualTo("struct");
      assertThat(key.at("/payload/id").isInt()).isTrue();
      assertThat(value.at("/schema/name").asText()).isEqualTo("it2.inventory.customers.Envelope");
      assertThat(value.at("/payload/op").asText()).isEqualTo("r");
    }
  }

  @Test
  void shouldFailFastAndLeaveNoThreadWhenTheSettingsAreRefused() {
    Set<String> before = liveNonDaemonThreads();
    long started = System.nanoTime();

    assertThatThrownBy(
            () ->
                DebeziumEngineRunner.builder()
                    .mariaDb(mariaDb)
                    .bootstrapServers(kafka.bootstrapServers())
                    .topicPrefix("it3")
                    // the MySQL connector's spelling, which the MariaDB connector refuses
                    .property("database.ssl.mode", "disabled")
                    .start())
        .isInstanceOf(DebeziumEngineException.class)
        .hasMessageContaining("database.ssl.mode");

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
    assertThat(liveNonDaemonThreads()).isSubsetOf(before);
  }

  private static DebeziumEngineRunner engine(String prefix, boolean schemas) {
    return DebeziumEngineRunner.builder()
        .mariaDb(mariaDb)
        .bootstrapServers(kafka.bootstrapServers())
        .topicPrefix(prefix)
        .includeDatabases("inventory")
        .schemasEnabled(schemas)
        .start();
  }

  private static Set<String> liveNonDaemonThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && !t.isDaemon())
        .map(Thread::getName)
        .collect(Collectors.toSet());
  }

  private static long count(List<CaptureRecord> records, String topic) {
    return records.stream().filter(r -> r.topic().equals(topic)).count();
  }

  private static List<CaptureRecord> on(List<CaptureRecord> records, String topic) {
    return records.stream().filter(r -> r.topic().equals(topic)).toList();
  }

  private static String op(CaptureRecord record) {
    return record.isTombstone() ? null : json(record).get("op").asText();
  }

  private static String gtid(JsonNode change) {
    return change.at("/source/gtid").asText();
  }

  private static JsonNode json(CaptureRecord record) {
    return parse(record.valueUtf8());
  }

  private static JsonNode parse(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
