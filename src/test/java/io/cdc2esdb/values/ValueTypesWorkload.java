package io.cdc2esdb.values;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdc2esdb.envelope.Json;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A table with a column of every type whose Debezium encoding natural values decode, and a scripted
 * workload on it: a row read by the snapshot, inserts of ordinary values, extremes and NULLs, an
 * update, an {@code ALTER TABLE ... MODIFY} that changes scales and precisions, then an insert and
 * an update with the new types, and a delete. After each change it reads back what MariaDB shows
 * for the row ({@link #SELECT}, as text), so that events can be compared with it.
 */
public final class ValueTypesWorkload {

  private static final Pattern ID = Pattern.compile("VALUES \\((\\d+)|WHERE id = (\\d+)");

  public static final String DATABASE = "typed";
  public static final String TABLE = "value_types";

  public static final List<String> SCHEMA =
      List.of(
          "CREATE DATABASE typed",
          "CREATE TABLE typed.value_types (id INT PRIMARY KEY,"
              + " t_tiny TINYINT, t_tiny_u TINYINT UNSIGNED, t_small SMALLINT,"
              + " t_small_u SMALLINT UNSIGNED, t_medium MEDIUMINT, t_medium_u MEDIUMINT UNSIGNED,"
              + " t_int INT, t_int_u INT UNSIGNED, t_big BIGINT, t_big_u BIGINT UNSIGNED,"
              + " d_10_2 DECIMAL(10,2), d_5_0 DECIMAL(5,0), d_38_10 DECIMAL(38,10),"
              + " d_65_30 DECIMAL(65,30), f FLOAT, dbl DOUBLE,"
              + " dt DATE, tm TIME, tm3 TIME(3), tm6 TIME(6),"
              + " dtm DATETIME, dtm3 DATETIME(3), dtm6 DATETIME(6),"
              + " ts TIMESTAMP NULL, ts3 TIMESTAMP(3) NULL, ts6 TIMESTAMP(6) NULL, yr YEAR,"
              + " c CHAR(5), vc VARCHAR(50), tx TEXT,"
              + " en ENUM('small','medium','large'), st SET('red','green','blue'), js JSON,"
              + " b1 BIT(1), b12 BIT(12), b64 BIT(64),"
              + " bin BINARY(4), vbin VARBINARY(16), bl BLOB)",
          "INSERT INTO typed.value_types VALUES (1,"
              + " -12, 200, -1234, 60000, -123456, 16000000, -123456789, 4000000000,"
              + " -1234567890123, 18000000000000000000,"
              + " 12.50, 12345, 12345678901234567890.1234567890,"
              + " -0.000000000000000000000000000001, 1.5, 3.141592653589793,"
              + " '2024-09-01', '10:00:00', '10:00:00.123', '10:00:00.123456',"
              + " '2024-09-01 10:00:00', '2024-09-01 10:00:00.120', '2024-09-01 10:00:00.123456',"
              + " '2024-09-01 10:00:00', '2024-09-01 10:00:00.123', '2024-09-01 10:00:00.000001',"
              + " 2024, 'ab', 'hello, world', 'a longer text with \u00fcn\u00efc\u00f6d\u00e9',"
              + " 'medium', 'red,blue', '{\"a\": 1, \"b\": [true, null, \"x\"]}',"
              + " b'1', b'101010101010',"
              + " b'1000000000000000000000000000000000000000000000000000000000000001',"
              + " X'00FF10', X'DEADBEEF', X'0001020304')");

  /** The changes Debezium streams, one statement each, in autocommit. */
  public static final List<String> CHANGES =
      List.of(
          "INSERT INTO typed.value_types VALUES (2,"
              + " -128, 255, 32767, 65535, 8388607, 16777215, 2147483647, 4294967295,"
              + " -9223372036854775808, 18446744073709551615,"
              + " -99999999.99, -99999, 9999999999999999999999999999.9999999999,"
              + " 12345678901234567890123456789012345.123456789012345678901234567890,"
              + " -0.25, -1e-300,"
              + " '1000-01-01', '-838:59:59', '23:59:59.999', '-00:00:01.500000',"
              + " '9999-12-31 23:59:59', '1000-01-01 00:00:00.000', '1969-12-31 23:59:59.999999',"
              + " '1970-01-01 00:00:01', '2038-01-19 03:14:07.999', '2000-02-29 12:00:00.5',"
              + " 2155, '', 'quotes \" and \\\\ and\\nnewline', '',"
              + " 'large', '', '[1, 2.5, \"s\", {\"k\": null}]',"
              + " b'0', b'000000000001',"
              + " b'1111111111111111111111111111111111111111111111111111111111111111',"
              + " X'FFFFFFFF', X'', X'00')",
          "INSERT INTO typed.value_types (id) VALUES (3)",
          "UPDATE typed.value_types SET d_10_2 = 0.05, t_big_u = 9223372036854775808,"
              + " dtm6 = '2024-09-01 10:00:00.000000', js = '\"just a string\"', vc = 'changed'"
              + " WHERE id = 1",
          "ALTER TABLE typed.value_types MODIFY d_10_2 DECIMAL(14,4), MODIFY tm3 TIME(6),"
              + " MODIFY dtm3 DATETIME(6), MODIFY ts3 TIMESTAMP(6) NULL, MODIFY t_small INT",
          "INSERT INTO typed.value_types (id, t_small, d_10_2, tm3, dtm3, ts3) VALUES (4,"
              + " 1234567, 1234567890.1234, '01:02:03.456789', '2024-09-01 10:00:00.654321',"
              + " '2024-09-01 10:00:00.654321')",
          "UPDATE typed.value_types SET d_10_2 = 42.4242 WHERE id = 2",
          "DELETE FROM typed.value_types WHERE id = 3");

  /**
   * What MariaDB shows for a row, every column as text: BIT columns as numbers, binary ones in hex,
   * TIMESTAMPs in UTC (the session's time zone is set to it).
   */
  public static final String SELECT =
      "SELECT "
          + Stream.of(
                  "id",
                  "t_tiny",
                  "t_tiny_u",
                  "t_small",
                  "t_small_u",
                  "t_medium",
                  "t_medium_u",
                  "t_int",
                  "t_int_u",
                  "t_big",
                  "t_big_u",
                  "d_10_2",
                  "d_5_0",
                  "d_38_10",
                  "d_65_30",
                  "f",
                  "dbl",
                  "dt",
                  "tm",
                  "tm3",
                  "tm6",
                  "dtm",
                  "dtm3",
                  "dtm6",
                  "ts",
                  "ts3",
                  "ts6",
                  "yr",
                  "c",
                  "vc",
                  "tx",
                  "en",
                  "st",
                  "js")
              .map(c -> "CAST(" + c + " AS CHAR) AS " + c)
              .collect(Collectors.joining(", "))
          + ", b1 + 0 AS b1, b12 + 0 AS b12, b64 + 0 AS b64,"
          + " HEX(bin) AS bin, HEX(vbin) AS vbin, HEX(bl) AS bl"
          + " FROM typed.value_types";

  /** The columns {@link #SELECT} shows in hex. */
  public static final List<String> BINARY_COLUMNS = List.of("bin", "vbin", "bl");

  /** The columns {@link #SELECT} shows as numbers. */
  public static final List<String> BIT_COLUMNS = List.of("b1", "b12", "b64");

  /** The floating-point columns, compared as numbers. */
  public static final List<String> FLOAT_COLUMNS = List.of("f", "dbl");

  /** One change and the row MariaDB showed right after it (for a delete: right before it). */
  public record Expected(String gtid, String op, int id, ObjectNode row) {}

  private ValueTypesWorkload() {}

  /**
   * Runs {@link #SCHEMA}.
   *
   * @param afterTableDdl runs after each statement that changes the table's structure
   */
  public static void createSchema(Connection connection, Runnable afterTableDdl)
      throws SQLException {
    try (Statement statement = connection.createStatement()) {
      for (String sql : SCHEMA) {
        statement.execute(sql);
        if (sql.startsWith("CREATE TABLE")) {
          afterTableDdl.run();
        }
      }
    }
  }

  /** What the snapshot reads: each row as {@link #SELECT} shows it now. */
  public static List<Expected> snapshot(Connection connection) throws SQLException {
    List<Expected> expected = new ArrayList<>();
    for (ObjectNode row : select(connection, "")) {
      expected.add(new Expected(null, "r", row.get("id").asInt(), row));
    }
    return expected;
  }

  /**
   * Runs {@link #CHANGES}; returns one expectation per change, in order.
   *
   * @param afterTableDdl runs after each statement that changes the table's structure
   */
  public static List<Expected> run(Connection connection, Runnable afterTableDdl)
      throws SQLException {
    List<Expected> expected = new ArrayList<>();
    try (Statement statement = connection.createStatement()) {
      statement.execute("SET time_zone = '+00:00'");
      for (String sql : CHANGES) {
        if (sql.startsWith("ALTER")) {
          statement.execute(sql);
          afterTableDdl.run();
          continue;
        }
        int id = idOf(sql);
        String op = sql.startsWith("INSERT") ? "c" : sql.startsWith("UPDATE") ? "u" : "d";
        ObjectNode before = op.equals("d") ? select(connection, " WHERE id = " + id).get(0) : null;
        statement.execute(sql);
        String gtid;
        try (ResultSet rs = statement.executeQuery("SELECT @@last_gtid")) {
          rs.next();
          gtid = rs.getString(1);
        }
        ObjectNode row = before != null ? before : select(connection, " WHERE id = " + id).get(0);
        expected.add(new Expected(gtid, op, id, row));
      }
    }
    return expected;
  }

  /** Every row of the table now, as {@link #SELECT} shows it, by id. */
  public static List<ObjectNode> select(Connection connection, String where) throws SQLException {
    List<ObjectNode> rows = new ArrayList<>();
    try (Statement statement = connection.createStatement()) {
      statement.execute("SET time_zone = '+00:00'");
      try (ResultSet rs = statement.executeQuery(SELECT + where + " ORDER BY id")) {
        ResultSetMetaData meta = rs.getMetaData();
        while (rs.next()) {
          ObjectNode row = Json.object();
          for (int i = 1; i <= meta.getColumnCount(); i++) {
            row.put(meta.getColumnLabel(i), rs.getString(i));
          }
          rows.add(row);
        }
      }
    }
    return rows;
  }

  private static int idOf(String sql) {
    Matcher m = ID.matcher(sql);
    if (!m.find()) {
      throw new IllegalArgumentException("no row id in " + sql);
    }
    return Integer.parseInt(m.group(1) != null ? m.group(1) : m.group(2));
  }
}
