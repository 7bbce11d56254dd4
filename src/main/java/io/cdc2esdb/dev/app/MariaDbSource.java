package io.cdc2esdb.dev.app;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdc2esdb.dev.CaptureRecord;
import io.cdc2esdb.dev.DebeziumEngineRunner;
import io.cdc2esdb.dev.MariaDbInstance;
import io.cdc2esdb.dev.TopicReader;
import io.cdc2esdb.envelope.Json;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Live changes: a private MariaDB server with the {@link InventoryWorkload} schema, Debezium's
 * MariaDB connector in the embedded engine, and the scripted workload once cdc2esdb runs.
 */
final class MariaDbSource implements DemoSource {

  static final String TOPIC_PREFIX = "dbserver1";
  private static final Duration DEBEZIUM_TIMEOUT = Duration.ofSeconds(60);

  private MariaDbInstance mariaDb;
  private DebeziumEngineRunner debezium;

  /**
   * @throws io.cdc2esdb.dev.MariaDbNotInstalledException with the line that installs it
   */
  @Override
  public void prepare(LocalPipeline pipeline, DemoConsole console) {
    mariaDb = MariaDbInstance.start();
    mariaDb.execute(InventoryWorkload.SCHEMA.toArray(String[]::new));
    console.step(
        "MariaDB on %s:%d (binlog ROW + GTID): database %s, tables %s",
        mariaDb.host(),
        mariaDb.port(),
        InventoryWorkload.DATABASE,
        String.join(", ", InventoryWorkload.TABLES));
    // Debezium's first burst must not go to topics the broker is still opening (see ReadyTopics).
    pipeline.createTopics(InventoryWorkload.topics(TOPIC_PREFIX));
    debezium =
        DebeziumEngineRunner.builder()
            .mariaDb(mariaDb)
            .bootstrapServers(pipeline.bootstrapServers())
            .topicPrefix(TOPIC_PREFIX)
            .includeDatabases(InventoryWorkload.DATABASE)
            .start();
    debezium.awaitStreaming(DEBEZIUM_TIMEOUT);
    console.step(
        "Debezium (MariaDB connector, embedded) took its snapshot and streams the binlog to %s.*",
        TOPIC_PREFIX);
  }

  /** The server, once {@link #prepare} started it. */
  MariaDbInstance mariaDb() {
    return mariaDb;
  }

  @Override
  public Map<String, String> settings() {
    return Map.of("topic.prefix", TOPIC_PREFIX);
  }

  @Override
  public void feed(LocalPipeline pipeline, DemoConsole console) {
    String lastGtid;
    try (Connection connection = mariaDb.connect()) {
      lastGtid = InventoryWorkload.run(connection);
    } catch (SQLException e) {
      throw new IllegalStateException("the workload failed: " + e.getMessage(), e);
    }
    console.step(
        "Ran the workload: %d statements, up to GTID %s",
        InventoryWorkload.CHANGES.size(), lastGtid);
    List<String> topics =
        InventoryWorkload.TABLES.stream()
            .map(t -> debezium.tableTopic(InventoryWorkload.DATABASE, t))
            .toList();
    awaitCaptured(pipeline.bootstrapServers(), topics, lastGtid, DEBEZIUM_TIMEOUT);
    console.step("Debezium has written every change up to %s to Kafka", lastGtid);
  }

  /**
   * Waits until a change record of {@code gtid} is on one of {@code topics}. Debezium writes in
   * binlog order, so every earlier change is in Kafka by then.
   */
  static void awaitCaptured(
      String bootstrapServers, Collection<String> topics, String gtid, Duration timeout) {
    int[] checked = {0};
    boolean[] found = {false};
    TopicReader.readUntil(
        bootstrapServers,
        topics,
        records -> {
          for (; checked[0] < records.size() && !found[0]; checked[0]++) {
            found[0] = gtid.equals(gtidOf(records.get(checked[0])));
          }
          return found[0];
        },
        timeout);
    if (!found[0]) {
      throw new IllegalStateException("Debezium did not write GTID " + gtid + " within " + timeout);
    }
  }

  private static String gtidOf(CaptureRecord record) {
    if (record.isTombstone()) {
      return null;
    }
    try {
      JsonNode value = Json.withoutSchemaWrapper(Json.read(record.value()));
      return value.path("source").path("gtid").asText(null);
    } catch (IOException e) {
      return null;
    }
  }

  @Override
  public List<String> explore() {
    return List.of(
        "MariaDB (SQL prompt): " + mariaDb.clientCommandLine() + " " + InventoryWorkload.DATABASE);
  }

  @Override
  public void close() {
    if (debezium != null) {
      debezium.close();
    }
    if (mariaDb != null) {
      mariaDb.close();
    }
  }
}
