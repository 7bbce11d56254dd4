package io.cdc2esdb.dev;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@MariaDbRequirement.RequiresMariaDb
class MariaDbInstanceIT {

  private static MariaDbInstance mariaDb;

  @BeforeAll
  static void startServer() {
    mariaDb = MariaDbInstance.start();
  }

  @AfterAll
  static void stopServer() {
    if (mariaDb != null) {
      mariaDb.close();
    }
  }

  @Test
  void shouldListenOnLoopbackOnly() throws Exception {
    Assumptions.assumeTrue(ListeningSockets.supported(), "needs Linux /proc");

    assertThat(ListeningSockets.of(mariaDb.pid())).containsExactly("127.0.0.1:" + mariaDb.port());
  }

  @Test
  void shouldWriteARowBinlogWithMariaDbGtids() throws Exception {
    mariaDb.execute(
        "CREATE DATABASE it_gtid",
        "CREATE TABLE it_gtid.t (id INT PRIMARY KEY, v VARCHAR(10))",
        "INSERT INTO it_gtid.t VALUES (1, 'a')");

    assertThat(queryOne("SELECT @@binlog_format")).isEqualTo("ROW");
    assertThat(queryOne("SELECT @@binlog_row_image")).isEqualTo("FULL");
    assertThat(queryOne("SELECT @@gtid_strict_mode")).isEqualTo("1");
    assertThat(queryOne("SELECT @@log_bin")).isEqualTo("1");
    assertThat(queryOne("SELECT @@bind_address")).isEqualTo("127.0.0.1");
    assertThat(queryOne("SELECT @@gtid_binlog_pos")).matches("0-1-\\d+");
  }

  @Test
  void shouldLetDebeziumInOverLoopbackWithReplicationGrants() throws Exception {
    List<String> grants = new ArrayList<>();
    try (Connection c =
            DriverManager.getConnection(
                mariaDb.jdbcUrl(),
                MariaDbInstance.DEBEZIUM_USER,
                MariaDbInstance.DEBEZIUM_PASSWORD);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SHOW GRANTS")) {
      while (rs.next()) {
        grants.add(rs.getString(1));
      }
    }

    assertThat(String.join("\n", grants))
        .contains("REPLICATION SLAVE")
        .contains("BINLOG MONITOR")
        .contains("LOCK TABLES")
        .contains("`debezium`@`127.0.0.1`");
  }

  @Test
  void shouldPrintAClientCommandLineThatWorks() throws Exception {
    List<String> command = new ArrayList<>(List.of(mariaDb.clientCommandLine().split(" ")));
    command.addAll(List.of("-N", "-e", "SELECT 40 + 2"));
    Process client = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(client.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(client.exitValue()).as(output).isZero();
    assertThat(output.trim()).isEqualTo("42");
  }

  @Test
  void shouldStopItsServerAndDeleteItsDirectoryOnClose() throws Exception {
    MariaDbInstance second = MariaDbInstance.builder().serverId(2).start();
    Path dir = second.directory();
    ProcessHandle process = ProcessHandle.of(second.pid()).orElseThrow();
    second.execute("CREATE DATABASE it_second", "CREATE TABLE it_second.t (id INT PRIMARY KEY)");
    second.execute("INSERT INTO it_second.t VALUES (1)");
    String gtid;
    try (Connection c = second.connect()) {
      gtid = single(c, "SELECT @@gtid_binlog_pos");
    }

    second.close();

    assertThat(gtid).matches("0-2-\\d+");
    assertThat(process.isAlive()).isFalse();
    assertThat(dir).doesNotExist();
  }

  private static String queryOne(String sql) throws SQLException {
    try (Connection c = mariaDb.connect()) {
      return single(c, sql);
    }
  }

  private static String single(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }
}
