package io.cdc2esdb.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdc2esdb.dev.CaptureFile;
import io.cdc2esdb.dev.CaptureRecord;
import io.cdc2esdb.dev.DebeziumEngineRunner;
import io.cdc2esdb.dev.EmbeddedKafka;
import io.cdc2esdb.dev.MariaDbInstance;
import io.cdc2esdb.dev.MariaDbRequirement;
import io.cdc2esdb.dev.ReadyTopics;
import io.cdc2esdb.dev.TopicReader;
import io.cdc2esdb.dev.app.InventoryWorkload;
import io.cdc2esdb.envelope.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Records the captures under {@code src/test/resources/captures/} that {@link DemoCaptureIT}
 * replays: the {@link InventoryWorkload} through Debezium with settings other than the fixtures'
 * (schema wrapper on, transaction metadata off). A tool, not a test: its name matches neither
 * {@code *Test} nor {@code *IT}, so the suite never runs it; run it with {@code mvn verify
 * -Dit.test=RecordCaptures} and review the re-recorded files.
 */
@MariaDbRequirement.RequiresMariaDb
class RecordCaptures {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "mariadb-3.5-schemas-no-transactions, schemas1, true, false",
    "mariadb-3.5-no-transactions, notxn1, false, false",
    "mariadb-3.5-schemas, schemas2, true, true"
  })
  void shouldRecordTheWorkloadWithTheseSettings(
      String name, String prefix, boolean schemas, boolean transactions) throws Exception {
    List<CaptureRecord> capture;
    try (MariaDbInstance mariaDb = MariaDbInstance.start();
        EmbeddedKafka kafka = EmbeddedKafka.start()) {
      mariaDb.execute(InventoryWorkload.SCHEMA.toArray(String[]::new));
      ReadyTopics.create(kafka.bootstrapServers(), InventoryWorkload.topics(prefix));
      try (DebeziumEngineRunner debezium =
          DebeziumEngineRunner.builder()
              .mariaDb(mariaDb)
              .bootstrapServers(kafka.bootstrapServers())
              .topicPrefix(prefix)
              .includeDatabases(InventoryWorkload.DATABASE)
              .schemasEnabled(schemas)
              .property("provide.transaction.metadata", String.valueOf(transactions))
              .start()) {
        debezium.awaitStreaming(TIMEOUT);
        String gtid;
        try (Connection connection = mariaDb.connect()) {
          gtid = InventoryWorkload.run(connection);
        }
        List<String> topics = new ArrayList<>();
        topics.add(debezium.schemaChangeTopic());
        topics.add(debezium.transactionTopic());
        InventoryWorkload.TABLES.forEach(
            t -> topics.add(debezium.tableTopic(InventoryWorkload.DATABASE, t)));
        TopicReader.readUntil(
            kafka.bootstrapServers(), topics, r -> holds(r, gtid, transactions), TIMEOUT);
        capture =
            TopicReader.readAll(kafka.bootstrapServers(), topics, TIMEOUT).stream()
                .sorted(
                    Comparator.comparing(CaptureRecord::topic)
                        .thenComparingInt(CaptureRecord::partition)
                        .thenComparingLong(CaptureRecord::offset))
                .toList();
      }
    }

    List<CaptureRecord> data =
        capture.stream().filter(r -> r.topic().split("\\.").length == 3).toList();
    // 9 snapshot rows and 17 row changes, 4 of them deletes (one from the key change)
    assertThat(data.stream().filter(CaptureRecord::isTombstone)).hasSize(4);
    assertThat(
            data.stream()
                .filter(r -> !r.isTombstone())
                .map(r -> payload(r).path("op").asText())
                .collect(Collectors.groupingBy(op -> op, Collectors.counting())))
        .containsExactlyInAnyOrderEntriesOf(Map.of("r", 9L, "c", 6L, "u", 7L, "d", 4L));
    assertThat(capture).anyMatch(r -> r.topic().equals(prefix + ".transaction") == transactions);
    Path dir = Path.of(System.getProperty("captures.dir", "src/test/resources/captures"));
    Files.createDirectories(dir);
    CaptureFile.write(dir.resolve(name + ".jsonl"), capture);
  }

  private static boolean holds(List<CaptureRecord> records, String gtid, boolean transactions) {
    boolean change = false;
    boolean end = !transactions;
    for (CaptureRecord r : records) {
      if (r.isTombstone()) {
        continue;
      }
      JsonNode payload = payload(r);
      change |= gtid.equals(payload.path("source").path("gtid").asText(null));
      end |=
          "END".equals(payload.path("status").asText()) && gtid.equals(payload.path("id").asText());
    }
    return change && end;
  }

  private static JsonNode payload(CaptureRecord record) {
    return Json.withoutSchemaWrapper(OneEventPerChange.parse(record.valueUtf8()));
  }
}
