package io.cdc2esdb.dev;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A private MariaDB server started from the installed programs: its own directory, option file,
 * loopback port and binlog (ROW + GTID), and a {@code debezium} user with the grants the connector
 * needs. The packaged system service, if any, is neither used nor touched.
 */
public final class MariaDbInstance implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(MariaDbInstance.class);

  public static final String ROOT_USER = "root";
  public static final String DEBEZIUM_USER = "debezium";
  public static final String DEBEZIUM_PASSWORD = "dbz";

  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

  private final MariaDbConfig config;
  private final Process process;
  private final boolean keepDirectory;
  private final Thread shutdownHook;
  private boolean closed;

  MariaDbInstance(MariaDbConfig config, Process process, boolean keepDirectory) {
    this.config = config;
    this.process = process;
    this.keepDirectory = keepDirectory;
    // A JVM that exits without close() must not leave a server behind.
    this.shutdownHook = new Thread(this::stopProcess, "mariadb-shutdown-" + config.port());
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** A server with the defaults (server_id 1) in a temporary directory deleted on close. */
  public static MariaDbInstance start() {
    return builder().start();
  }

  public static Builder builder() {
    return new Builder();
  }

  public String host() {
    return Loopback.HOST;
  }

  public int port() {
    return config.port();
  }

  public int serverId() {
    return config.serverId();
  }

  public Path directory() {
    return config.directory();
  }

  public Path socket() {
    return config.socket();
  }

  public long pid() {
    return process.pid();
  }

  /** {@code jdbc:mariadb://127.0.0.1:<port>/}, with no database selected. */
  public String jdbcUrl() {
    return jdbcUrl("");
  }

  public String jdbcUrl(String database) {
    return "jdbc:mariadb://" + Loopback.HOST + ":" + port() + "/" + database;
  }

  /** A new connection as root (no password, loopback only); the caller closes it. */
  public Connection connect() throws SQLException {
    return DriverManager.getConnection(jdbcUrl(), ROOT_USER, "");
  }

  /** Runs the statements in order, as root, on one connection (so BEGIN ... COMMIT works). */
  public void execute(String... sql) {
    try (Connection connection = connect();
        Statement statement = connection.createStatement()) {
      for (String each : sql) {
        statement.execute(each);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("MariaDB on port " + port() + ": " + e.getMessage(), e);
    }
  }

  /** The line a user types to get a SQL prompt on this server. */
  public String clientCommandLine() {
    return "mariadb --socket=" + socket() + " -u " + ROOT_USER;
  }

  /** Asks the server to shut down, waits for it, and deletes its directory unless kept. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    long started = System.nanoTime();
    stopProcess();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down
    }
    LOG.info(
        "MariaDB on port {} stopped in {} ms",
        port(),
        Duration.ofNanos(System.nanoTime() - started).toMillis());
    if (!keepDirectory) {
      Directories.deleteRecursively(directory());
    }
  }

  // SHUTDOWN lets InnoDB close cleanly; SIGTERM does the same if the statement cannot be sent.
  private void stopProcess() {
    if (!process.isAlive()) {
      return;
    }
    try {
      execute("SHUTDOWN");
    } catch (RuntimeException e) {
      LOG.debug("SHUTDOWN failed, sending SIGTERM: {}", e.getMessage());
      process.destroy();
    }
    if (!waitFor(STOP_TIMEOUT)) {
      LOG.warn("MariaDB on port {} ignored the shutdown request; killing it", port());
      process.destroyForcibly();
      waitFor(STOP_TIMEOUT);
    }
  }

  private boolean waitFor(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Options; the defaults suit a test or a demo. */
  public static final class Builder {
    private int serverId = 1;
    private Path directory;
    private boolean keepDirectory;

    private Builder() {}

    /** The server's {@code server_id}, the middle part of its GTIDs; default 1. */
    public Builder serverId(int serverId) {
      this.serverId = serverId;
      return this;
    }

    /** Where to put the server's files (kept on close); default: a temporary directory. */
    public Builder directory(Path directory) {
      this.directory = directory;
      this.keepDirectory = true;
      return this;
    }

    public Builder keepDirectory(boolean keep) {
      this.keepDirectory = keep;
      return this;
    }

    /**
     * Initialises a data directory and starts the server; returns once it answers (about 1 s).
     *
     * @throws MariaDbNotInstalledException when the server programs are not installed
     */
    public MariaDbInstance start() {
      MariaDbBinaries binaries = MariaDbBinaries.locate();
      for (int attempt = 1; ; attempt++) {
        Path dir =
            directory != null
                ? Directories.create(directory)
                : Directories.createTemp("cdc2esdb-mariadb-");
        MariaDbConfig config = new MariaDbConfig(dir, Loopback.freePort(), serverId);
        try {
          return startWith(binaries, config);
        } catch (IllegalStateException e) {
          // Another process can take the port between choosing it and the server binding it.
          boolean portTaken = String.valueOf(e.getMessage()).contains("Address already in use");
          if (!portTaken || attempt == 3) {
            throw e;
          }
          LOG.warn("MariaDB port {} was taken; retrying with another", config.port());
          Directories.deleteRecursively(dir.resolve("data"));
        }
      }
    }

    private MariaDbInstance startWith(MariaDbBinaries binaries, MariaDbConfig config) {
      long started = System.nanoTime();
      Process process = MariaDbLauncher.launch(binaries, config);
      MariaDbInstance instance = new MariaDbInstance(config, process, keepDirectory);
      try {
        MariaDbLauncher.awaitReady(instance, process, config);
        instance.execute(MariaDbLauncher.DEBEZIUM_USER_SQL);
        LOG.info(
            "MariaDB on {}:{} (server_id {}) started in {} ms",
            Loopback.HOST,
            config.port(),
            config.serverId(),
            Duration.ofNanos(System.nanoTime() - started).toMillis());
        return instance;
      } catch (RuntimeException e) {
        instance.close();
        throw e;
      }
    }
  }
}
