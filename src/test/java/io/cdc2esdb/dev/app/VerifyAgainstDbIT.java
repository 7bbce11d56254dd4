package io.cdc2esdb.dev.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdc2esdb.app.Main;
import io.cdc2esdb.dev.MariaDbRequirement;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code verify --against-db} on the live MariaDB demo: after the workload (snapshot, inserts,
 * updates, deletes, a primary-key change, a column added) every table equals the fold of its
 * streams; a change made behind Debezium's back (not in the binlog) is reported, row and column.
 */
@MariaDbRequirement.RequiresMariaDb
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VerifyAgainstDbIT {

  private static LocalPipeline pipeline;
  private static MariaDbSource source;

  @TempDir static Path dir;

  @BeforeAll
  static void runTheLiveDemo() {
    DemoConsole console = new DemoConsole(new PrintWriter(new StringWriter()));
    pipeline = LocalPipeline.start();
    source = new MariaDbSource();
    source.prepare(pipeline, console);
    pipeline.startCdc2esdb(source.settings(), Duration.ofSeconds(60));
    source.feed(pipeline, console);
    pipeline.awaitCaughtUp(Duration.ofSeconds(120), p -> {});
  }

  @AfterAll
  static void stop() {
    if (source != null) {
      source.close();
    }
    if (pipeline != null) {
      pipeline.close();
    }
  }

  @Test
  @Order(1)
  void shouldReportEveryTableEqual() throws IOException {
    String[] run = verify();

    assertThat(run[0]).as(run[1]).isEqualTo("0");
    assertThat(run[1])
        .contains("verify: OK:")
        .containsPattern("; 3 tables, \\d+ rows compared, 0 differ")
        .contains("0 missing, 0 duplicated, 0 out of order, 0 unexpected");
  }

  @Test
  @Order(2)
  void shouldReportRowsChangedBehindDebeziumsBack() throws IOException {
    source
        .mariaDb()
        .execute(
            "SET SESSION sql_log_bin = 0",
            "UPDATE inventory.customers SET first_name = 'Changed' WHERE id = 1001",
            "INSERT INTO inventory.order_lines VALUES (10003, 9, 'ghost', 1)",
            "DELETE FROM inventory.orders WHERE order_number = 10001");

    String[] run = verify();

    assertThat(run[0]).as(run[1]).isEqualTo("1");
    assertThat(run[1])
        .contains(
            "inventory.customers row customers-1001: first_name: database \"Changed\","
                + " EventStoreDB \"Sally\"")
        .contains("inventory.order_lines row order_lines-10003.9: in the database, not in")
        .contains("inventory.orders row orders-10001: in EventStoreDB's fold, not in the database")
        .containsPattern("; 3 tables, \\d+ rows compared, 3 differ");
  }

  private static String[] verify() throws IOException {
    Path config = Files.createTempFile(dir, "verify", ".properties");
    Files.writeString(
        config,
        "bootstrap.servers="
            + pipeline.bootstrapServers()
            + "\ntopic.prefix="
            + MariaDbSource.TOPIC_PREFIX
            + "\nesdb.connection.string="
            + pipeline.esdbConnectionString()
            + "\n");
    StringWriter out = new StringWriter();
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(out));
    int exit =
        cli.execute(
            "verify",
            "--config",
            config.toString(),
            "--no-progress",
            "--against-db",
            source.mariaDb().jdbcUrl("inventory") + "?user=root");
    return new String[] {Integer.toString(exit), out.toString()};
  }
}
