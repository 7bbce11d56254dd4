package io.cdc2esdb.dev;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The start-up steps of a private MariaDB server: option file, data directory, process, ping. */
final class MariaDbLauncher {

  private static final Logger LOG = LoggerFactory.getLogger(MariaDbLauncher.class);
  private static final Duration INSTALL_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  /**
   * The grants Debezium's binlog connectors document (MariaDB shows REPLICATION CLIENT as BINLOG
   * MONITOR). The user is bound to 127.0.0.1: it can only come over loopback TCP.
   */
  static final String[] DEBEZIUM_USER_SQL = {
    "CREATE USER IF NOT EXISTS '"
        + MariaDbInstance.DEBEZIUM_USER
        + "'@'127.0.0.1' IDENTIFIED BY '"
        + MariaDbInstance.DEBEZIUM_PASSWORD
        + "'",
    "GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT, LOCK TABLES"
        + " ON *.* TO '"
        + MariaDbInstance.DEBEZIUM_USER
        + "'@'127.0.0.1'"
  };

  private MariaDbLauncher() {}

  static Process launch(MariaDbBinaries binaries, MariaDbConfig config) {
    long started = System.nanoTime();
    write(config.file(), config.render());
    List<String> install = new ArrayList<>();
    install.add(binaries.installDb().toString());
    install.add("--defaults-file=" + config.file());
    // The root accounts get no password: the server only listens on loopback and a private socket.
    install.add("--auth-root-authentication-method=normal");
    install.add("--skip-test-db");
    addUserIfRoot(install);
    run(install, config.directory().resolve("install-db.log"), INSTALL_TIMEOUT);
    LOG.debug("MariaDB data directory initialised in {} ms", millisSince(started));

    List<String> server = new ArrayList<>();
    server.add(binaries.mariadbd().toString());
    server.add("--defaults-file=" + config.file());
    addUserIfRoot(server);
    try {
      return new ProcessBuilder(server)
          .redirectErrorStream(true)
          .redirectOutput(config.directory().resolve("mariadbd.out").toFile())
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + binaries.mariadbd(), e);
    }
  }

  /** Waits until root can log in over TCP; fails fast, with the error log, if the server died. */
  static void awaitReady(MariaDbInstance instance, Process process, MariaDbConfig config) {
    long started = System.nanoTime();
    long deadline = started + READY_TIMEOUT.toNanos();
    SQLException last = null;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "mariadbd exited with code "
                + process.exitValue()
                + " during start-up; its log says:\n"
                + String.join("\n", lastLines(config.errorLog(), 20)));
      }
      try (Connection ignored =
          DriverManager.getConnection(
              instance.jdbcUrl() + "?connectTimeout=1000", MariaDbInstance.ROOT_USER, "")) {
        return;
      } catch (SQLException e) {
        last = e;
      }
      sleep(50);
    }
    throw new IllegalStateException(
        "MariaDB did not answer on port " + config.port() + " within " + READY_TIMEOUT, last);
  }

  // mariadbd refuses to run as root unless told so explicitly.
  private static void addUserIfRoot(List<String> command) {
    if (ProcessHandle.current().info().user().map("root"::equals).orElse(false)) {
      command.add("--user=root");
    }
  }

  private static void run(List<String> command, Path log, Duration timeout) {
    try {
      Process process =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(command.get(0) + " did not finish within " + timeout);
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            command.get(0)
                + " failed with code "
                + process.exitValue()
                + ":\n"
                + String.join("\n", lastLines(log, 20)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + command.get(0), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command.get(0), e);
    }
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static List<String> lastLines(Path file, int lines) {
    try {
      List<String> all = Files.readAllLines(file);
      return all.subList(Math.max(0, all.size() - lines), all.size());
    } catch (IOException e) {
      return List.of("(cannot read " + file + ")");
    }
  }

  private static long millisSince(long nanos) {
    return Duration.ofNanos(System.nanoTime() - nanos).toMillis();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for MariaDB", e);
    }
  }
}
