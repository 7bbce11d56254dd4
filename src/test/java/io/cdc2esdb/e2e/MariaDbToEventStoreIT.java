package io.cdc2esdb.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdc2esdb.dev.CaptureRecord;
import io.cdc2esdb.dev.DebeziumEngineRunner;
import io.cdc2esdb.dev.MariaDbInstance;
import io.cdc2esdb.dev.MariaDbRequirement;
import io.cdc2esdb.dev.TopicReader;
import io.cdc2esdb.dev.app.InventoryWorkload;
import io.cdc2esdb.dev.app.LocalPipeline;
import io.cdc2esdb.envelope.Json;
import io.cdc2esdb.event.TableHistory;
import io.cdc2esdb.processing.Counters;
import io.cdc2esdb.sink.EsdbReader;
import io.cdc2esdb.sink.ReadEvent;
import io.cdc2esdb.topology.CdcTopology;
import io.cdc2esdb.values.SelectText;
import io.cdc2esdb.values.ValueTypesWorkload;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real path end to end: MariaDB's binlog -> Debezium's MariaDB connector (embedded engine) ->
 * Kafka broker -> cdc2esdb (Kafka Streams) -> EventStoreDB emulator through the real client. One
 * run of {@link InventoryWorkload} (snapshot rows, then live changes while cdc2esdb runs), then
 * every check reads what EventStoreDB holds and compares it with Debezium's records and with the
 * database itself.
 */
@MariaDbRequirement.RequiresMariaDb
class MariaDbToEventStoreIT {

  private static final String PREFIX = "e2e";
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private static MariaDbInstance mariaDb;
  private static LocalPipeline pipeline;
  private static DebeziumEngineRunner debezium;
  private static List<CaptureRecord> debeziumRecords;

  /** Every non-system stream, its events in revision order. */
  private static Map<String, List<ReadEvent>> streams;

  private static EsdbReader reader;

  @BeforeAll
  static void runTheWorkloadThroughTheWholePath() throws Exception {
    mariaDb = MariaDbInstance.start();
    mariaDb.execute(InventoryWorkload.SCHEMA.toArray(String[]::new));
    pipeline = LocalPipeline.start();
    pipeline.createTopics(InventoryWorkload.topics(PREFIX));
    debezium =
        DebeziumEngineRunner.builder()
            .mariaDb(mariaDb)
            .bootstrapServers(pipeline.bootstrapServers())
            .topicPrefix(PREFIX)
            .includeDatabases(InventoryWorkload.DATABASE, ValueTypesWorkload.DATABASE)
            .start();
    debezium.awaitStreaming(TIMEOUT);
    pipeline.startCdc2esdb(Map.of("topic.prefix", PREFIX), TIMEOUT);

    String lastGtid;
    try (Connection connection = mariaDb.connect()) {
      lastGtid = InventoryWorkload.run(connection);
    }
    List<String> topics = new ArrayList<>(InventoryWorkload.topics(PREFIX).keySet());
    TopicReader.readUntil(
        pipeline.bootstrapServers(),
        topics,
        records -> records.stream().anyMatch(r -> isEnd(r, lastGtid)),
        TIMEOUT);
    pipeline.awaitCaughtUp(TIMEOUT, progress -> {});
    // Read again to the end: a reader that saw the last END may not have polled every topic yet.
    debeziumRecords = TopicReader.readAll(pipeline.bootstrapServers(), topics, TIMEOUT);

    reader = EsdbReader.connect(pipeline.esdbConnectionString(), 10_000);
    streams = new LinkedHashMap<>();
    reader.streams().forEach(s -> streams.put(s, reader.read(s)));
  }

  @AfterAll
  static void stopEverything() {
    if (reader != null) {
      reader.close();
    }
    if (debezium != null) {
      debezium.close();
    }
    if (pipeline != null) {
      pipeline.close();
    }
    if (mariaDb != null) {
      mariaDb.close();
    }
  }

  @Test
  void shouldWriteEveryRowsChangeHistoryToItsOwnStreamInBinlogOrder() {
    Map<String, List<String>> expected = new LinkedHashMap<>();
    for (CaptureRecord record : dataRecords()) {
      if (!record.isTombstone()) {
        JsonNode change = json(record);
        String op = change.get("op").asText();
        expected
            .computeIfAbsent(
                rowOf(change.at("/source/table").asText(), record.keyUtf8()),
                r -> new ArrayList<>())
            .add(history(typeOf(op), change.get("d".equals(op) ? "before" : "after"), change));
      }
    }
    Map<String, String> streamOfRow = new HashMap<>();
    Map<String, List<String>> actual = new LinkedHashMap<>();
    streams.forEach(
        (stream, events) -> {
          for (ReadEvent e : events) {
            JsonNode meta = metadata(e);
            String row = rowOf(meta.at("/source/table").asText(), Json.text(meta.get("key")));
            assertThat(streamOfRow.putIfAbsent(row, stream)).isIn(null, stream);
            actual
                .computeIfAbsent(row, r -> new ArrayList<>())
                .add(history(e.type(), data(e), meta));
          }
        });

    assertThat(actual).containsExactlyInAnyOrderEntriesOf(expected);
    assertThat(streams.keySet()).hasSameSizeAs(expected.keySet());
    // binlog order: each row's positions only grow
    for (List<ReadEvent> events : streams.values()) {
      List<String> positions = events.stream().map(e -> position(metadata(e))).toList();
      assertThat(positions).isSorted().doesNotHaveDuplicates();
    }
  }

  @Test
  void shouldFoldEachTablesStreamsIntoExactlyTheRowsMariaDbHolds() throws Exception {
    for (String table : InventoryWorkload.TABLES) {
      Set<JsonNode> folded = new HashSet<>();
      streams.forEach(
          (stream, events) -> {
            ReadEvent last = events.get(events.size() - 1);
            if (metadata(last).at("/source/table").asText().equals(table)
                && !"Delete".equals(last.type())) {
              folded.add(withoutNulls(data(last)));
            }
          });

      assertThat(folded).as(table).isEqualTo(rowsOf(table)).isNotEmpty();
    }
  }

  @Test
  void shouldTagEveryEventOfATransactionWithItsGtidAsCorrelationId() {
    List<JsonNode> metadata =
        streams.values().stream().flatMap(List::stream).map(e -> metadata(e)).toList();
    Set<String> gtids = new HashSet<>();
    for (JsonNode meta : metadata) {
      String correlationId = meta.get("$correlationId").asText();
      if (meta.at("/source/snapshot").asBoolean()) {
        assertThat(correlationId).startsWith("snapshot:");
      } else {
        assertThat(correlationId)
            .matches("0-1-\\d+")
            .isEqualTo(meta.at("/source/gtid").asText())
            .isEqualTo(meta.at("/transaction/id").asText());
        gtids.add(correlationId);
      }
    }
    assertThat(gtids).isEqualTo(ends().keySet());
  }

  @Test
  void shouldGatherExactlyEachTransactionsEventsInItsCorrelationStream() {
    Map<String, Integer> ends = ends();
    assertThat(ends).hasSizeGreaterThanOrEqualTo(8);
    ends.forEach(
        (gtid, eventCount) -> {
          Set<String> expected =
              streams.values().stream()
                  .flatMap(List::stream)
                  .filter(e -> gtid.equals(metadata(e).get("$correlationId").asText()))
                  .map(e -> e.stream() + "@" + e.revision())
                  .collect(Collectors.toSet());
          List<String> linked =
              reader.read("$bc-" + gtid).stream()
                  .map(e -> e.stream() + "@" + e.revision())
                  .toList();

          assertThat(linked)
              .as(gtid)
              .hasSize(eventCount)
              .containsExactlyInAnyOrderElementsOf(expected);
        });
  }

  @Test
  void shouldLeaveTheDeadLetterTopicEmpty() {
    assertThat(
            TopicReader.readAll(
                pipeline.bootstrapServers(),
                List.of(pipeline.config().deadLetterTopic()),
                Duration.ofSeconds(10)))
        .isEmpty();
  }

  @Test
  void shouldKeepEveryUpdateOfARowUpdatedSeveralTimesInOneTransaction() {
    List<ReadEvent> order = streams.get("orders-10003");

    assertThat(order)
        .extracting(ReadEvent::type)
        .containsExactly("Insert", "Update", "Update", "Update", "Update");
    assertThat(order)
        .extracting(e -> data(e).get("status").asText())
        .containsExactly("new", "new", "paid", "packed", "shipped");
    assertThat(order.subList(2, 5))
        .extracting(e -> metadata(e).get("$correlationId"))
        .containsOnly(metadata(order.get(2)).get("$correlationId"));
  }

  @Test
  void shouldEndTheOldKeysStreamAndStartTheNewKeysStreamOnAPrimaryKeyChange() {
    List<ReadEvent> oldKey = streams.get("customers-1003");
    List<ReadEvent> newKey = streams.get("customers-2003");

    assertThat(oldKey).extracting(ReadEvent::type).containsExactly("Snapshot", "Delete");
    assertThat(newKey).extracting(ReadEvent::type).containsExactly("Insert");
    assertThat(metadata(newKey.get(0)).get("$correlationId"))
        .isEqualTo(metadata(oldKey.get(1)).get("$correlationId"));
    assertThat(data(newKey.get(0)).get("email").asText()).isEqualTo("ed@walker.com");
  }

  @Test
  void shouldCarryTheAddedColumnInChangesMadeAfterAlterTable() {
    assertThat(data(last("customers-1001")).get("phone").asText()).isEqualTo("+1 555 0101");
    assertThat(data(last("customers-1006")).get("phone").asText()).isEqualTo("+1 555 0106");
    assertThat(data(last("customers-1002")).has("phone")).isFalse();
  }

  @Test
  void shouldNameACompositeKeysStreamByItsKeyColumnsInOrder() {
    assertThat(streams.get("order_lines-10001.2"))
        .extracting(ReadEvent::type)
        .containsExactly("Snapshot", "Update");
    assertThat(data(last("order_lines-10001.2")).get("quantity").asInt()).isEqualTo(3);
  }

  /**
   * The value types table, created and changed while everything runs (its DDL streamed, not
   * snapshotted): every event's data is the row MariaDB showed right after that change, in natural
   * values, also for the rows written before and after its {@code ALTER TABLE ... MODIFY}; and
   * folding each stream gives exactly the table's rows.
   */
  @Test
  void shouldWriteNaturalValuesThatFoldIntoExactlyTheRowsMariaDbShows() throws Exception {
    long undecodedBefore = pipeline.counter(Counters.VALUES_UNDECODED);
    List<ValueTypesWorkload.Expected> expected = new ArrayList<>();
    int[] tableDdls = {0};
    // The structure reaches cdc2esdb on its own topic: wait until it is in the store before the
    // rows that follow it, so that the test does not depend on which topic is read first.
    Runnable awaitStructure = () -> awaitTableStructures(++tableDdls[0]);
    try (Connection connection = mariaDb.connect()) {
      ValueTypesWorkload.createSchema(connection, awaitStructure);
      for (ObjectNode row : ValueTypesWorkload.select(connection, "")) {
        expected.add(new ValueTypesWorkload.Expected(null, "c", row.get("id").asInt(), row));
      }
      try (Statement statement = connection.createStatement();
          ResultSet gtid = statement.executeQuery("SELECT @@last_gtid")) {
        gtid.next();
        expected.set(
            0,
            new ValueTypesWorkload.Expected(
                gtid.getString(1), "c", expected.get(0).id(), expected.get(0).row()));
      }
      expected.addAll(ValueTypesWorkload.run(connection, awaitStructure));
    }
    String table = PREFIX + "." + ValueTypesWorkload.DATABASE + "." + ValueTypesWorkload.TABLE;
    String lastGtid = expected.get(expected.size() - 1).gtid();
    TopicReader.readUntil(
        pipeline.bootstrapServers(),
        List.of(table),
        records ->
            records.stream()
                .anyMatch(
                    r -> !r.isTombstone() && lastGtid.equals(json(r).at("/source/gtid").asText())),
        TIMEOUT);
    pipeline.awaitCaughtUp(TIMEOUT, progress -> {});

    List<String> mismatches = new ArrayList<>();
    List<ObjectNode> folded = new ArrayList<>();
    int events = 0;
    for (String stream : reader.streams()) {
      if (!stream.startsWith(ValueTypesWorkload.TABLE + "-")) {
        continue;
      }
      List<ReadEvent> history = reader.read(stream);
      for (ReadEvent e : history) {
        String gtid = metadata(e).at("/source/gtid").asText();
        ValueTypesWorkload.Expected change =
            expected.stream().filter(x -> x.gtid().equals(gtid)).findFirst().orElseThrow();
        SelectText.mismatches(data(e), change.row(), false)
            .forEach(m -> mismatches.add(stream + "@" + e.revision() + " " + m));
        events++;
      }
      ReadEvent last = history.get(history.size() - 1);
      if (!"Delete".equals(last.type())) {
        folded.add((ObjectNode) data(last));
      }
    }
    assertThat(mismatches).isEmpty();
    assertThat(events).isEqualTo(expected.size()).isEqualTo(7);

    List<ObjectNode> rows;
    try (Connection connection = mariaDb.connect()) {
      rows = ValueTypesWorkload.select(connection, "");
    }
    assertThat(rows).hasSize(3);
    assertThat(folded).hasSameSizeAs(rows);
    for (ObjectNode row : rows) {
      ObjectNode fold =
          folded.stream()
              .filter(f -> f.get("id").asInt() == row.get("id").asInt())
              .findFirst()
              .orElseThrow();
      // A row last changed before the ALTER keeps the scale it had then (0.05, not 0.0500).
      assertThat(SelectText.mismatchesByValue(fold, row)).as("id " + row.get("id")).isEmpty();
    }
    assertThat(pipeline.counter(Counters.VALUES_UNDECODED)).isEqualTo(undecodedBefore);
  }

  private static void awaitTableStructures(int versions) {
    String key = ValueTypesWorkload.DATABASE + "." + ValueTypesWorkload.TABLE;
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (true) {
      ReadOnlyKeyValueStore<String, TableHistory> store =
          pipeline.store(CdcTopology.STRUCTURES_STORE, QueryableStoreTypes.keyValueStore());
      TableHistory history = store.get(key);
      if (history != null && history.versions().size() >= versions) {
        return;
      }
      assertThat(System.nanoTime()).as("table structures of " + key).isLessThan(deadline);
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  private static List<CaptureRecord> dataRecords() {
    return debeziumRecords.stream()
        .filter(r -> r.topic().startsWith(PREFIX + "." + InventoryWorkload.DATABASE + "."))
        .toList();
  }

  /** END records of the transaction topic: GTID -> event_count. */
  private static Map<String, Integer> ends() {
    Map<String, Integer> ends = new HashMap<>();
    debeziumRecords.stream()
        .filter(r -> r.topic().equals(debezium.transactionTopic()))
        .map(r -> json(r))
        .filter(t -> "END".equals(t.get("status").asText()))
        .forEach(t -> ends.put(t.get("id").asText(), t.get("event_count").asInt()));
    return ends;
  }

  private static boolean isEnd(CaptureRecord record, String gtid) {
    if (!record.topic().equals(PREFIX + ".transaction")) {
      return false;
    }
    JsonNode marker = json(record);
    return "END".equals(marker.get("status").asText()) && gtid.equals(marker.get("id").asText());
  }

  private static String history(String type, JsonNode row, JsonNode withSource) {
    return type + " " + Json.text(row) + " at " + position(withSource);
  }

  // file, then position and row, zero-padded so that text order is binlog order
  private static String position(JsonNode withSource) {
    JsonNode source = withSource.get("source");
    return String.format(
        "%s:%012d:%04d",
        source.get("file").asText(), source.get("pos").asLong(), source.get("row").asInt());
  }

  private static String rowOf(String table, String keyJson) {
    return table + " " + Json.text(OneEventPerChange.parse(keyJson));
  }

  private static String typeOf(String op) {
    return Map.of("c", "Insert", "u", "Update", "d", "Delete", "r", "Snapshot").get(op);
  }

  private static Set<JsonNode> rowsOf(String table) throws Exception {
    Set<JsonNode> rows = new HashSet<>();
    try (Connection connection = mariaDb.connect();
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT * FROM inventory." + table)) {
      ResultSetMetaData columns = result.getMetaData();
      while (result.next()) {
        ObjectNode row = Json.object();
        for (int i = 1; i <= columns.getColumnCount(); i++) {
          row.set(columns.getColumnLabel(i), Json.MAPPER.valueToTree(result.getObject(i)));
        }
        rows.add(withoutNulls(row));
      }
    }
    return rows;
  }

  /**
   * A column added by ALTER TABLE is NULL in rows not changed since, and absent from their last
   * image: both mean "no value". Re-parsing also makes numbers compare by value, not Java type.
   */
  private static JsonNode withoutNulls(JsonNode row) {
    ObjectNode copy = (ObjectNode) OneEventPerChange.parse(Json.text(row));
    List<String> nulls = new ArrayList<>();
    copy.properties()
        .forEach(
            f -> {
              if (f.getValue().isNull()) nulls.add(f.getKey());
            });
    copy.remove(nulls);
    return copy;
  }

  private static ReadEvent last(String stream) {
    List<ReadEvent> events = streams.get(stream);
    return events.get(events.size() - 1);
  }

  private static JsonNode data(ReadEvent event) {
    return OneEventPerChange.parse(
        new String(event.data(), java.nio.charset.StandardCharsets.UTF_8));
  }

  private static JsonNode metadata(ReadEvent event) {
    return OneEventPerChange.parse(
        new String(event.metadata(), java.nio.charset.StandardCharsets.UTF_8));
  }

  private static JsonNode json(CaptureRecord record) {
    return OneEventPerChange.parse(record.valueUtf8());
  }
}
