package io.cdc2esdb.dev.app;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code inventory} database of the demo and the end-to-end tests, and a scripted workload that
 * exercises every kind of change cdc2esdb must carry: rows present at snapshot time, inserts,
 * multi-statement transactions across tables, one row updated several times in one transaction,
 * deletes, a primary-key change, and {@code ALTER TABLE ... ADD COLUMN} followed by more changes.
 */
public final class InventoryWorkload {

  public static final String DATABASE = "inventory";
  public static final List<String> TABLES = List.of("customers", "orders", "order_lines");

  /** The schema and the rows Debezium's snapshot will read. */
  public static final List<String> SCHEMA =
      List.of(
          "CREATE DATABASE inventory",
          "CREATE TABLE inventory.customers (id INT PRIMARY KEY, first_name VARCHAR(255) NOT NULL,"
              + " last_name VARCHAR(255) NOT NULL, email VARCHAR(255) NOT NULL UNIQUE)",
          "CREATE TABLE inventory.orders (order_number INT PRIMARY KEY, purchaser INT NOT NULL,"
              + " status VARCHAR(32) NOT NULL, total_cents BIGINT NOT NULL)",
          // A composite key: its stream is order_lines-<order_number>.<line_no>.
          "CREATE TABLE inventory.order_lines (order_number INT, line_no INT,"
              + " product VARCHAR(255) NOT NULL, quantity INT NOT NULL,"
              + " PRIMARY KEY (order_number, line_no))",
          "INSERT INTO inventory.customers VALUES"
              + " (1001, 'Sally', 'Thomas', 'sally.thomas@acme.com'),"
              + " (1002, 'George', 'Bailey', 'gbailey@foobar.com'),"
              + " (1003, 'Edward', 'Walker', 'ed@walker.com'),"
              + " (1004, 'Anne', 'Kretchmar', 'annek@noanswer.org')",
          "INSERT INTO inventory.orders VALUES (10001, 1001, 'paid', 3998),"
              + " (10002, 1002, 'paid', 1250)",
          "INSERT INTO inventory.order_lines VALUES (10001, 1, 'scooter', 1),"
              + " (10001, 2, 'car battery', 2), (10002, 1, 'hammer', 5)");

  /** The scripted changes, each element one statement, run in order on one connection. */
  public static final List<String> CHANGES =
      List.of(
          // an insert on its own (autocommit: one transaction)
          "INSERT INTO inventory.customers VALUES (1005, 'Sarah', 'Hughes', 'sarah@hughes.com')",
          // one transaction across two tables
          "BEGIN",
          "INSERT INTO inventory.orders VALUES (10003, 1005, 'new', 0)",
          "INSERT INTO inventory.order_lines VALUES (10003, 1, 'spare tire', 4),"
              + " (10003, 2, 'jack', 1)",
          "UPDATE inventory.orders SET total_cents = 2350 WHERE order_number = 10003",
          "COMMIT",
          // one row updated several times in one transaction
          "BEGIN",
          "UPDATE inventory.orders SET status = 'paid' WHERE order_number = 10003",
          "UPDATE inventory.orders SET status = 'packed' WHERE order_number = 10003",
          "UPDATE inventory.orders SET status = 'shipped' WHERE order_number = 10003",
          "COMMIT",
          // deletes, of a whole order
          "BEGIN",
          "DELETE FROM inventory.order_lines WHERE order_number = 10002",
          "DELETE FROM inventory.orders WHERE order_number = 10002",
          "COMMIT",
          // a primary-key change: Debezium emits a delete (+ tombstone) and a create
          "UPDATE inventory.customers SET id = 2003 WHERE id = 1003",
          // a schema change, then more changes to that table
          "ALTER TABLE inventory.customers ADD COLUMN phone VARCHAR(32)",
          "UPDATE inventory.customers SET phone = '+1 555 0101' WHERE id = 1001",
          "BEGIN",
          "INSERT INTO inventory.customers VALUES (1006, 'Kenneth', 'Anderson',"
              + " 'kander@acme.com', '+1 555 0106')",
          "UPDATE inventory.order_lines SET quantity = quantity + 1 WHERE order_number = 10001",
          "COMMIT",
          "DELETE FROM inventory.customers WHERE id = 1004");

  private InventoryWorkload() {}

  /** Every topic Debezium writes for this database under {@code prefix}, one partition each. */
  public static Map<String, Integer> topics(String prefix) {
    Map<String, Integer> topics = new LinkedHashMap<>();
    topics.put(prefix, 1);
    topics.put(prefix + ".transaction", 1);
    TABLES.forEach(t -> topics.put(prefix + "." + DATABASE + "." + t, 1));
    return topics;
  }

  /**
   * Runs {@link #CHANGES} and returns the GTID of the last transaction: once a record with that
   * GTID is in Kafka, every change of the workload is.
   */
  public static String run(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      for (String sql : CHANGES) {
        statement.execute(sql);
      }
      try (ResultSet gtid = statement.executeQuery("SELECT @@last_gtid")) {
        gtid.next();
        return gtid.getString(1);
      }
    }
  }
}
