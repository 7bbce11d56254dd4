package io.cdc2esdb.verify;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdc2esdb.envelope.Json;
import io.cdc2esdb.envelope.Operation;
import io.cdc2esdb.envelope.SourcePosition;
import io.cdc2esdb.event.EventData;
import io.cdc2esdb.naming.EventTypes;
import io.cdc2esdb.naming.StreamNaming;
import io.cdc2esdb.sink.ReadEvent;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code verify --against-db}: folds each row stream to the row it describes (the last image; gone
 * after a Delete, or after a later Truncate of its table) and compares the fold with {@code SELECT
 * *} of each table over JDBC, row by row, by primary key. Folded rows wait in the work store, not
 * in memory; the table is read as a stream of rows.
 */
final class TableFold {

  private static final int FETCH = 1_000;

  private final WorkStore store;
  private final StreamNaming naming;
  private final EventData dataMode;
  private final Map<String, Operation> opsByType = new HashMap<>();
  private final Map<List<String>, SourcePosition> truncated = new HashMap<>();
  private final Set<List<String>> tables = new LinkedHashSet<>();

  TableFold(WorkStore store, StreamNaming naming, EventTypes types, EventData dataMode) {
    this.store = store;
    this.naming = naming;
    this.dataMode = dataMode;
    for (Operation op : Operation.values()) {
      opsByType.put(types.typeOf(op), op);
    }
  }

  /** A table the input holds changes of: it is compared even when no row of it is left. */
  void table(String db, String table) {
    tables.add(List.of(db == null ? "" : db, table));
  }

  /** Every event of a stream passes here, in revision order; the last one of a row counts. */
  void event(String stream, ReadEvent event) {
    JsonNode meta;
    try {
      meta = Json.read(event.metadata());
    } catch (IOException | RuntimeException e) {
      return; // not one of ours: reported as unexpected by the stream check
    }
    JsonNode sourceNode = meta.get("source");
    if (sourceNode == null || !sourceNode.isObject()) {
      return;
    }
    SourcePosition source;
    try {
      source = Json.MAPPER.treeToValue(sourceNode, SourcePosition.class);
    } catch (IOException e) {
      return;
    }
    List<String> table = List.of(source.db() == null ? "" : source.db(), source.table());
    Operation op = opsByType.get(event.type());
    byte[] key =
        WorkStore.Key.of(WorkStore.FOLDED)
            .text(table.get(0))
            .text(table.get(1))
            .text(stream)
            .bytes();
    if (op == Operation.TRUNCATE) {
      truncated.merge(table, source, (a, b) -> b.isAfter(a) ? b : a);
      return;
    }
    JsonNode row = op == Operation.DELETE ? null : image(event);
    if (row == null) {
      store.delete(key);
    } else {
      ObjectNode folded = Json.object();
      folded.set("source", sourceNode);
      folded.set("row", row);
      store.put(key, Json.bytes(folded));
    }
  }

  private JsonNode image(ReadEvent event) {
    try {
      JsonNode data = Json.read(event.data());
      JsonNode row = dataMode == EventData.ROW ? data : data.get("after");
      return row == null || !row.isObject() ? null : row;
    } catch (IOException e) {
      return null;
    }
  }

  /** Compares every table the input touched with the database behind {@code jdbcUrl}. */
  void compareWith(String jdbcUrl, VerifyReport report, Progress progress) {
    try (Connection connection = DriverManager.getConnection(jdbcUrl)) {
      for (List<String> table : tables) {
        try (Progress.Bar bar = progress.bar(table.get(1), -1)) {
          compareTable(connection, table.get(0), table.get(1), report, bar);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("reading the database failed: " + e.getMessage(), e);
    }
  }

  private void compareTable(
      Connection connection, String db, String table, VerifyReport report, Progress.Bar bar)
      throws SQLException {
    List<String> keyColumns = primaryKey(connection.getMetaData(), db, table);
    String name = db + "." + table;
    report.totals().tablesCompared++;
    if (keyColumns.isEmpty()) {
      report.note(name + " has no primary key: its rows are not compared");
      return;
    }
    SourcePosition truncatedAt = truncated.get(List.of(db, table));
    try (Statement statement = connection.createStatement()) {
      statement.setFetchSize(FETCH);
      try (ResultSet rows =
          statement.executeQuery("SELECT * FROM " + quote(db) + "." + quote(table))) {
        ResultSetMetaData columns = rows.getMetaData();
        while (rows.next()) {
          report.totals().rowsCompared++;
          bar.step(1);
          ObjectNode dbRow = Json.object();
          for (int i = 1; i <= columns.getColumnCount(); i++) {
            dbRow.set(
                columns.getColumnLabel(i), JdbcValues.natural(rows, i, columns.getColumnType(i)));
          }
          ObjectNode key = Json.object();
          keyColumns.forEach(c -> key.set(c, dbRow.get(c)));
          String stream = naming.streamName(db, table, key);
          byte[] foldKey =
              WorkStore.Key.of(WorkStore.FOLDED).text(db).text(table).text(stream).bytes();
          JsonNode folded = live(store.get(foldKey), truncatedAt);
          if (folded == null) {
            report.rowDiffers(name, stream, "in the database, not in EventStoreDB's fold");
            continue;
          }
          store.delete(foldKey);
          String differs = JdbcValues.differences(dbRow, folded.get("row"));
          if (differs != null) {
            report.rowDiffers(name, stream, differs);
          }
        }
      }
    }
    store.scan(
        WorkStore.Key.of(WorkStore.FOLDED).text(db).text(table).bytes(),
        (k, v) -> {
          WorkStore.KeyReader reader = new WorkStore.KeyReader(k);
          reader.text();
          reader.text();
          String stream = reader.text();
          if (live(v, truncatedAt) != null) {
            report.rowDiffers(name, stream, "in EventStoreDB's fold, not in the database");
          }
        });
  }

  /** The folded row, unless a Truncate of its table came after it. */
  private static JsonNode live(byte[] value, SourcePosition truncatedAt) {
    if (value == null) {
      return null;
    }
    try {
      JsonNode folded = Json.read(value);
      if (truncatedAt != null) {
        SourcePosition at = Json.MAPPER.treeToValue(folded.get("source"), SourcePosition.class);
        if (!at.isAfter(truncatedAt)) {
          return null;
        }
      }
      return folded;
    } catch (IOException e) {
      throw new IllegalStateException("verify's work store holds an unreadable row", e);
    }
  }

  private static List<String> primaryKey(DatabaseMetaData meta, String db, String table)
      throws SQLException {
    Map<Integer, String> bySeq = new TreeMap<>();
    try (ResultSet keys = meta.getPrimaryKeys(db, null, table)) {
      while (keys.next()) {
        bySeq.put(keys.getInt("KEY_SEQ"), keys.getString("COLUMN_NAME"));
      }
    }
    if (bySeq.isEmpty()) {
      try (ResultSet keys = meta.getPrimaryKeys(null, db, table)) {
        while (keys.next()) {
          bySeq.put(keys.getInt("KEY_SEQ"), keys.getString("COLUMN_NAME"));
        }
      }
    }
    return new ArrayList<>(bySeq.values());
  }

  private static String quote(String identifier) {
    return "`" + identifier.replace("`", "``") + "`";
  }
}
