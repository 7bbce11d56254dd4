package io.cdc2esdb.dev.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdc2esdb.envelope.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Renders a {@link Workload.Transaction} as the Kafka records Debezium's MariaDB connector (3.5,
 * JSON converter without the schema wrapper, {@code provide.transaction.metadata=true}, Kafka
 * Connect's simple header converter) writes for it, field for field as in the captured records:
 * BEGIN on the transaction topic, each row change on the table topic (a delete followed by its
 * tombstone), then END with the event count. Rows are {@code inventory.customers} with enough
 * columns for about {@link #rowBytes} bytes of JSON.
 */
public final class DebeziumShape {

  public static final String DB = "inventory";
  public static final String TABLE = "customers";
  private static final String CONNECTOR_VERSION = "3.5.0.Final";
  private static final String BINLOG_FILE = "mariadb-bin.000001";

  private final String prefix;
  private final int rowBytes;
  private final String runId;
  private long binlogPos = 4;

  /**
   * @param prefix Debezium's {@code topic.prefix} (also {@code source.name})
   * @param rowBytes about how large each row's JSON ({@code after}) is
   * @param runId the connector run id in the {@code __debezium.context.runId} header
   */
  public DebeziumShape(String prefix, int rowBytes, String runId) {
    this.prefix = prefix;
    this.rowBytes = rowBytes;
    this.runId = runId;
  }

  public String tableTopic() {
    return prefix + "." + DB + "." + TABLE;
  }

  public String transactionTopic() {
    return prefix + ".transaction";
  }

  /** The GTID of a transaction, MariaDB style: domain 0, server 1, the sequence number. */
  public static String gtid(Workload.Transaction txn) {
    return "0-1-" + txn.sequence();
  }

  /** BEGIN, the changes (and tombstones), END; every timestamp is {@code nowMillis}. */
  public List<ProducerRecord<byte[], byte[]>> records(Workload.Transaction txn, long nowMillis) {
    String gtid = gtid(txn);
    List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>(txn.changes().size() * 2 + 2);
    byte[] txnKey = utf8("{\"id\":\"" + gtid + "\"}");
    out.add(
        new ProducerRecord<>(
            transactionTopic(), null, nowMillis, txnKey, marker("BEGIN", gtid, 0, nowMillis)));
    binlogPos += 70; // the GTID event
    int order = 0;
    for (Workload.Change change : txn.changes()) {
      order++;
      byte[] key = utf8("{\"id\":" + change.id() + "}");
      byte[] value = Json.bytes(envelope(change, gtid, order, nowMillis));
      out.add(new ProducerRecord<>(tableTopic(), null, nowMillis, key, value, headers()));
      if (change.op() == Workload.Op.DELETE) {
        out.add(new ProducerRecord<>(tableTopic(), null, nowMillis, key, null, headers()));
      }
      binlogPos += 2L * rowBytes + 90;
    }
    binlogPos += 30; // the XID event
    out.add(
        new ProducerRecord<>(
            transactionTopic(),
            null,
            nowMillis,
            txnKey,
            marker("END", gtid, txn.changes().size(), nowMillis)));
    return out;
  }

  ObjectNode envelope(Workload.Change change, String gtid, int order, long nowMillis) {
    ObjectNode value = Json.object();
    switch (change.op()) {
      case INSERT -> {
        value.putNull("before");
        value.set("after", row(change.id(), change.version()));
      }
      case UPDATE -> {
        value.set("before", row(change.id(), change.version() - 1));
        value.set("after", row(change.id(), change.version()));
      }
      case DELETE -> {
        value.set("before", row(change.id(), change.version() - 1));
        value.putNull("after");
      }
    }
    ObjectNode source = value.putObject("source");
    source.put("version", CONNECTOR_VERSION);
    source.put("connector", "mariadb");
    source.put("name", prefix);
    source.put("ts_ms", nowMillis);
    source.put("snapshot", "false");
    source.put("db", DB);
    source.putNull("sequence");
    source.put("ts_us", nowMillis * 1_000);
    source.put("ts_ns", nowMillis * 1_000_000);
    source.put("table", TABLE);
    source.put("server_id", 1);
    source.put("gtid", gtid);
    source.put("file", BINLOG_FILE);
    source.put("pos", binlogPos);
    source.put("row", 0);
    source.putNull("thread");
    source.putNull("query");
    ObjectNode transaction = value.putObject("transaction");
    transaction.put("id", gtid);
    transaction.put("total_order", order);
    transaction.put("data_collection_order", order);
    value.put(
        "op",
        switch (change.op()) {
          case INSERT -> "c";
          case UPDATE -> "u";
          case DELETE -> "d";
        });
    value.put("ts_ms", nowMillis);
    value.put("ts_us", nowMillis * 1_000);
    value.put("ts_ns", nowMillis * 1_000_000);
    return value;
  }

  /** A customer row at a version: every version has other values; about {@code rowBytes}. */
  ObjectNode row(int id, int version) {
    ObjectNode row = Json.object();
    row.put("id", id);
    row.put("first_name", "First" + id);
    row.put("last_name", "Last" + id + "-v" + version);
    row.put("email", "customer" + id + ".v" + version + "@example.com");
    row.put("phone", "+1-555-" + (1_000_000 + id % 1_000_000));
    row.put("street", (id % 997 + 1) + " Benchmark Avenue");
    row.put("city", "Springfield");
    row.put("postcode", Integer.toString(10_000 + id % 90_000));
    row.put("country", "US");
    row.put("status", version % 2 == 0 ? "active" : "pending");
    row.put("balance", (id * 31L + version * 7L) % 100_000 / 100.0);
    int sofar = Json.bytes(row).length + "\"notes\":\"\",".length();
    row.put("notes", "n".repeat(Math.max(0, rowBytes - sofar)));
    return row;
  }

  private static byte[] marker(String status, String gtid, int eventCount, long nowMillis) {
    ObjectNode value = Json.object();
    value.put("status", status);
    value.put("id", gtid);
    if (status.equals("BEGIN")) {
      value.putNull("event_count");
      value.putNull("data_collections");
    } else {
      value.put("event_count", eventCount);
      ArrayNode collections = value.putArray("data_collections");
      ObjectNode table = collections.addObject();
      table.put("data_collection", DB + "." + TABLE);
      table.put("event_count", eventCount);
    }
    value.put("ts_ms", nowMillis);
    return Json.bytes(value);
  }

  private RecordHeaders headers() {
    RecordHeaders headers = new RecordHeaders();
    headers.add("__debezium.context.connectorLogicalName", utf8(prefix));
    headers.add("__debezium.context.taskId", utf8("0"));
    headers.add("__debezium.context.connectorName", utf8("mariadb"));
    headers.add("__debezium.context.runId", utf8(runId));
    return headers;
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
