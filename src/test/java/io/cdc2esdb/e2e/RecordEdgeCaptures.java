package io.cdc2esdb.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdc2esdb.dev.CaptureFile;
import io.cdc2esdb.dev.CaptureRecord;
import io.cdc2esdb.dev.DebeziumEngineRunner;
import io.cdc2esdb.dev.EmbeddedKafka;
import io.cdc2esdb.dev.MariaDbInstance;
import io.cdc2esdb.dev.MariaDbRequirement;
import io.cdc2esdb.dev.ReadyTopics;
import io.cdc2esdb.dev.TopicReader;
import io.cdc2esdb.envelope.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Records the captures of input that once went wrong, under {@code
 * src/test/resources/captures/edge/} (apart from the captures that {@link DemoCaptureIT} expects
 * one event per change of, since these need settings or dead-letter some changes): a table without
 * a primary key (its snapshot rows all share one binlog position), and rows of 2 MB and 4 MB in a
 * {@code MEDIUMTEXT} column. A tool, not a test, like {@link RecordCaptures}: run it with {@code
 * mvn verify -Dit.test=RecordEdgeCaptures} and review the re-recorded files.
 */
@MariaDbRequirement.RequiresMariaDb
class RecordEdgeCaptures {

  private static final Duration TIMEOUT = Duration.ofSeconds(120);
  private static final String DATABASE = "shop";

  @Test
  void shouldRecordAKeylessTable() throws Exception {
    List<String> schema =
        List.of(
            "CREATE DATABASE shop",
            // No primary key and no unique key: Debezium's record key is null.
            "CREATE TABLE shop.visits (page VARCHAR(64) NOT NULL, visitor VARCHAR(64) NOT NULL)",
            // Four snapshot rows, two of them identical.
            "INSERT INTO shop.visits VALUES ('home', 'ann'), ('cart', 'bob'), ('home', 'ann'),"
                + " ('faq', 'cy')");
    List<String> changes =
        List.of(
            "INSERT INTO shop.visits VALUES ('home', 'dee')",
            // one statement, three rows (one identical to a snapshot row)
            "INSERT INTO shop.visits VALUES ('cart', 'ann'), ('faq', 'bob'), ('home', 'ann')",
            // one statement changing three identical-looking rows
            "UPDATE shop.visits SET visitor = 'anna' WHERE visitor = 'ann'",
            "BEGIN",
            "DELETE FROM shop.visits WHERE page = 'faq' LIMIT 1",
            "INSERT INTO shop.visits VALUES ('exit', 'bob')",
            "COMMIT");
    record("mariadb-3.5-keyless", "keyless1", schema, changes, List.of("visits"));
  }

  @Test
  void shouldRecordRowsOfTwoAndFourMegabytes() throws Exception {
    List<String> schema =
        List.of(
            "CREATE DATABASE shop",
            "CREATE TABLE shop.documents (id INT PRIMARY KEY, title VARCHAR(64) NOT NULL,"
                + " body MEDIUMTEXT NOT NULL)",
            "INSERT INTO shop.documents VALUES (1, 'readme', 'small')");
    List<String> changes =
        List.of(
            "INSERT INTO shop.documents VALUES (2, 'two megabytes', REPEAT('0123456789abcdef',"
                + " 131072))",
            "INSERT INTO shop.documents VALUES (3, 'four megabytes', REPEAT('fedcba9876543210',"
                + " 262144))",
            "INSERT INTO shop.documents VALUES (4, 'after the large ones', 'small')",
            "BEGIN",
            "INSERT INTO shop.documents VALUES (5, 'beside a large change', 'small')",
            // before and after of a 2 MB row: a 4 MB record
            "UPDATE shop.documents SET title = 'two megabytes, renamed' WHERE id = 2",
            "UPDATE shop.documents SET body = 'edited' WHERE id = 1",
            "COMMIT");
    record("mariadb-3.5-large-rows", "large1", schema, changes, List.of("documents"));
  }

  private static void record(
      String name, String prefix, List<String> schema, List<String> changes, List<String> tables)
      throws Exception {
    List<CaptureRecord> capture;
    try (MariaDbInstance mariaDb = MariaDbInstance.start();
        EmbeddedKafka kafka = EmbeddedKafka.start()) {
      mariaDb.execute(schema.toArray(String[]::new));
      Map<String, Integer> topics = new LinkedHashMap<>();
      topics.put(prefix, 1);
      topics.put(prefix + ".transaction", 1);
      tables.forEach(t -> topics.put(prefix + "." + DATABASE + "." + t, 1));
      ReadyTopics.create(kafka.bootstrapServers(), topics);
      try (DebeziumEngineRunner debezium =
          DebeziumEngineRunner.builder()
              .mariaDb(mariaDb)
              .bootstrapServers(kafka.bootstrapServers())
              .topicPrefix(prefix)
              .includeDatabases(DATABASE)
              .schemasEnabled(false)
              .property("provide.transaction.metadata", "true")
              .start()) {
        debezium.awaitStreaming(TIMEOUT);
        String gtid;
        try (Connection connection = mariaDb.connect();
            Statement statement = connection.createStatement()) {
          for (String sql : changes) {
            statement.execute(sql);
          }
          try (PreparedStatement last = connection.prepareStatement("SELECT @@last_gtid");
              ResultSet rs = last.executeQuery()) {
            rs.next();
            gtid = rs.getString(1);
          }
        }
        String transactionTopic = debezium.transactionTopic();
        TopicReader.readUntil(
            kafka.bootstrapServers(),
            List.of(transactionTopic),
            records ->
                records.stream()
                    .filter(r -> !r.isTombstone())
                    .map(r -> OneEventPerChange.parse(r.valueUtf8()))
                    .anyMatch(
                        v ->
                            "END".equals(v.path("status").asText())
                                && gtid.equals(v.path("id").asText())),
            TIMEOUT);
        capture =
            TopicReader.readAll(kafka.bootstrapServers(), topics.keySet(), TIMEOUT).stream()
                .sorted(
                    Comparator.comparing(CaptureRecord::topic)
                        .thenComparingInt(CaptureRecord::partition)
                        .thenComparingLong(CaptureRecord::offset))
                .toList();
      }
    }
    assertThat(capture)
        .anyMatch(
            r ->
                !r.isTombstone()
                    && r.topic().endsWith("." + tables.get(0))
                    && gtid(r).equals(lastGtid(capture)));
    Path dir = Path.of(System.getProperty("captures.dir", "src/test/resources/captures/edge"));
    Files.createDirectories(dir);
    CaptureFile.write(dir.resolve(name + ".jsonl"), capture);
  }

  private static String gtid(CaptureRecord record) {
    return Json.withoutSchemaWrapper(OneEventPerChange.parse(record.valueUtf8()))
        .path("source")
        .path("gtid")
        .asText("");
  }

  private static String lastGtid(List<CaptureRecord> capture) {
    return capture.stream()
        .filter(r -> r.topic().endsWith(".transaction") && !r.isTombstone())
        .map(r -> OneEventPerChange.parse(r.valueUtf8()).path("id").asText())
        .reduce((a, b) -> b)
        .orElse("");
  }
}
