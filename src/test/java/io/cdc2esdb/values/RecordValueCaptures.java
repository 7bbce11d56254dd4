package io.cdc2esdb.values;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdc2esdb.dev.CaptureFile;
import io.cdc2esdb.dev.CaptureRecord;
import io.cdc2esdb.dev.DebeziumEngineRunner;
import io.cdc2esdb.dev.EmbeddedKafka;
import io.cdc2esdb.dev.MariaDbInstance;
import io.cdc2esdb.dev.MariaDbRequirement;
import io.cdc2esdb.dev.ReadyTopics;
import io.cdc2esdb.dev.TopicReader;
import io.cdc2esdb.envelope.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Records the captures of {@link ValueTypesWorkload} that the natural-values tests decode: with and
 * without the converter's schema wrapper, for each {@code decimal.handling.mode}; next to each, the
 * rows MariaDB showed after each change ({@code .expected.json}). A tool, not a test: run it with
 * {@code mvn verify -Dit.test=RecordValueCaptures} and review the re-recorded files.
 */
@MariaDbRequirement.RequiresMariaDb
class RecordValueCaptures {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "value-types-schemas-precise, vs1, true, precise",
    "value-types-schemas-string, vs2, true, string",
    "value-types-schemas-double, vs3, true, double",
    "value-types-precise, vp1, false, precise",
    "value-types-string, vp2, false, string",
    "value-types-double, vp3, false, double"
  })
  void shouldRecordTheValueTypesWorkload(
      String name, String prefix, boolean schemas, String decimalMode) throws Exception {
    List<CaptureRecord> capture;
    List<ValueTypesWorkload.Expected> expected = new ArrayList<>();
    String table = prefix + "." + ValueTypesWorkload.DATABASE + "." + ValueTypesWorkload.TABLE;
    try (MariaDbInstance mariaDb = MariaDbInstance.start();
        EmbeddedKafka kafka = EmbeddedKafka.start()) {
      try (Connection connection = mariaDb.connect()) {
        ValueTypesWorkload.createSchema(connection, () -> {});
        expected.addAll(ValueTypesWorkload.snapshot(connection));
      }
      ReadyTopics.create(
          kafka.bootstrapServers(), Map.of(prefix, 1, prefix + ".transaction", 1, table, 1));
      try (DebeziumEngineRunner debezium =
          DebeziumEngineRunner.builder()
              .mariaDb(mariaDb)
              .bootstrapServers(kafka.bootstrapServers())
              .topicPrefix(prefix)
              .includeDatabases(ValueTypesWorkload.DATABASE)
              .schemasEnabled(schemas)
              .property("decimal.handling.mode", decimalMode)
              .start()) {
        debezium.awaitStreaming(TIMEOUT);
        try (Connection connection = mariaDb.connect()) {
          expected.addAll(ValueTypesWorkload.run(connection, () -> {}));
        }
        String lastGtid = expected.get(expected.size() - 1).gtid();
        List<String> topics = List.of(prefix, prefix + ".transaction", table);
        TopicReader.readUntil(
            kafka.bootstrapServers(),
            topics,
            records ->
                records.stream()
                    .anyMatch(
                        r ->
                            !r.isTombstone()
                                && r.topic().equals(table)
                                && r.valueUtf8().contains("\"gtid\":\"" + lastGtid + "\"")),
            TIMEOUT);
        capture =
            TopicReader.readAll(kafka.bootstrapServers(), topics, TIMEOUT).stream()
                .sorted(
                    Comparator.comparing(CaptureRecord::topic)
                        .thenComparingInt(CaptureRecord::partition)
                        .thenComparingLong(CaptureRecord::offset))
                .toList();
      }
    }
    long changes =
        capture.stream().filter(r -> r.topic().equals(table) && !r.isTombstone()).count();
    assertThat(changes).isEqualTo(expected.size());

    Path dir = Path.of(System.getProperty("captures.dir", "src/test/resources/captures"));
    Files.createDirectories(dir);
    CaptureFile.write(dir.resolve(name + ".jsonl"), capture);
    ArrayNode rows = Json.MAPPER.createArrayNode();
    for (ValueTypesWorkload.Expected e : expected) {
      ObjectNode each = rows.addObject();
      each.put("gtid", e.gtid());
      each.put("op", e.op());
      each.put("id", e.id());
      each.set("row", e.row());
    }
    Files.writeString(
        dir.resolve(name + ".expected.json"),
        Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(rows) + "\n",
        StandardCharsets.UTF_8);
  }
}
