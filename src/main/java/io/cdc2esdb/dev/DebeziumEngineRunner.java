package io.cdc2esdb.dev;

import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Debezium's MariaDB connector in the embedded engine, producing every record to a Kafka broker as
 * Kafka Connect would: same topics, keys, values, headers and partitioning. A batch's source
 * offsets are committed only after the broker acknowledged the whole batch, so a restart repeats
 * records rather than losing them.
 */
public final class DebeziumEngineRunner implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DebeziumEngineRunner.class);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

  // The binlog client logs through java.util.logging, which no SLF4J binding here routes: keep
  // its per-connection INFO lines off the console. JUL holds loggers weakly, hence the field.
  private static final java.util.logging.Logger BINLOG_CLIENT_LOG =
      java.util.logging.Logger.getLogger("com.github.shyiko.mysql.binlog");

  static {
    BINLOG_CLIENT_LOG.setLevel(Level.WARNING);
  }

  private final DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;
  private final KafkaChangeProducer producer;
  private final DebeziumStreamingProbe probe;
  private final ExecutorService executor;
  private final CompletableFuture<Void> started = new CompletableFuture<>();
  private final CompletableFuture<Void> completion = new CompletableFuture<>();
  private final String topicPrefix;
  private final Path directory;
  private final boolean keepDirectory;
  private boolean closed;

  private DebeziumEngineRunner(
      Properties engineProperties,
      String bootstrapServers,
      boolean schemasEnabled,
      Path directory,
      boolean keepDirectory) {
    this.topicPrefix = engineProperties.getProperty("topic.prefix");
    this.directory = directory;
    this.keepDirectory = keepDirectory;
    this.producer =
        new KafkaChangeProducer(bootstrapServers, "debezium-" + topicPrefix, schemasEnabled);
    this.probe = new DebeziumStreamingProbe(topicPrefix);
    this.engine =
        DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
            .using(engineProperties)
            .using(
                new DebeziumEngine.ConnectorCallback() {
                  @Override
                  public void taskStarted() {
                    started.complete(null);
                  }
                })
            .using(this::completed)
            .notifying(producer)
            .build();
    this.executor =
        Executors.newSingleThreadExecutor(r -> new Thread(r, "debezium-" + topicPrefix));
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The prefix of every topic this engine writes ({@code <prefix>.<db>.<table>} and others). */
  public String topicPrefix() {
    return topicPrefix;
  }

  /** BEGIN/END records of each transaction. */
  public String transactionTopic() {
    return topicPrefix + ".transaction";
  }

  /** DDL statements, keyed by database name. */
  public String schemaChangeTopic() {
    return topicPrefix;
  }

  /** The topic of one table's row changes. */
  public String tableTopic(String database, String table) {
    return topicPrefix + "." + database + "." + table;
  }

  /** Where offsets and schema history are kept. */
  public Path directory() {
    return directory;
  }

  /** Records acknowledged by the broker so far, tombstones and transaction records included. */
  public long recordsProduced() {
    return producer.produced();
  }

  public boolean isRunning() {
    return started.isDone() && !completion.isDone();
  }

  /**
   * Waits until the snapshot is over and the binlog is being read: changes made from then on arrive
   * as c/u/d events with their GTID, not as snapshot rows.
   *
   * @throws DebeziumEngineException when the engine stops or the timeout passes first
   */
  public void awaitStreaming(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!probe.streaming()) {
      failure()
          .ifPresent(
              why -> {
                throw new DebeziumEngineException("the Debezium engine stopped: " + why, why);
              });
      if (System.nanoTime() > deadline) {
        throw new DebeziumEngineException(
            "the Debezium engine was not streaming the binlog within " + timeout, null);
      }
      sleep(50);
    }
  }

  /** Why the engine stopped on its own, if it did; the runner has then closed itself. */
  public Optional<Throwable> failure() {
    if (!completion.isCompletedExceptionally()) {
      return Optional.empty();
    }
    try {
      completion.join();
      return Optional.empty();
    } catch (CompletionException e) {
      return Optional.of(e.getCause());
    }
  }

  /**
   * Stops the engine (flushing its offsets), then the producer; deletes the directory unless kept.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      engine.close();
    } catch (Exception e) {
      // an engine that failed has already shut itself down, and says so
      LOG.debug("closing the Debezium engine: {}", e.toString());
    }
    executor.shutdown();
    try {
      if (!executor.awaitTermination(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("the Debezium engine did not stop within {}", STOP_TIMEOUT);
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      executor.shutdownNow();
    }
    producer.close();
    if (!keepDirectory) {
      Directories.deleteRecursively(directory);
    }
  }

  /** Runs the engine; returns once its task has started, or throws why it could not. */
  private void start(Duration timeout) {
    executor.execute(
        () -> {
          try {
            engine.run();
          } catch (RuntimeException | Error e) {
            completion.completeExceptionally(
                new DebeziumEngineException("the Debezium engine failed: " + e, e));
          }
        });
    try {
      CompletableFuture.anyOf(started, completion).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      close();
      throw new DebeziumEngineException("the Debezium engine did not start within " + timeout, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new DebeziumEngineException("interrupted while starting the Debezium engine", e);
    } catch (ExecutionException e) {
      // the engine stopped with an error: reported below
    }
    if (completion.isDone()) {
      Throwable why = failure().orElse(null);
      close();
      throw why instanceof DebeziumEngineException known
          ? known
          : new DebeziumEngineException("the Debezium engine stopped as it started", why);
    }
    LOG.info("Debezium engine for topic prefix {} started", topicPrefix);
  }

  // Called by the engine when it stops, normally or not. An engine that failed can leave threads
  // behind, so the runner then closes itself — from another thread: the engine's own threads
  // must not be waited for from inside its callback.
  private void completed(boolean success, String message, Throwable error) {
    LOG.debug("Debezium engine finished (success={}): {}", success, message);
    if (success) {
      completion.complete(null);
      return;
    }
    completion.completeExceptionally(
        new DebeziumEngineException("the Debezium engine stopped: " + message, error));
    if (started.isDone()) {
      LOG.error("the Debezium engine for topic prefix {} stopped: {}", topicPrefix, message);
      Thread stopper = new Thread(this::close, "debezium-" + topicPrefix + "-stop");
      stopper.setDaemon(true);
      stopper.start();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DebeziumEngineException("interrupted while waiting for the Debezium engine", e);
    }
  }

  /** Options; {@link #database} and {@link #bootstrapServers} are required. */
  public static final class Builder {
    private String host;
    private int port;
    private String user;
    private String password;
    private String bootstrapServers;
    private String topicPrefix = "dbserver1";
    private List<String> databases = List.of();
    private boolean schemasEnabled;
    private long serverId = ThreadLocalRandom.current().nextLong(100_000, 1L << 31);
    private Path directory;
    private boolean keepDirectory;
    private Duration startTimeout = Duration.ofSeconds(60);
    private final Properties overrides = new Properties();

    private Builder() {}

    public Builder database(String host, int port, String user, String password) {
      this.host = host;
      this.port = port;
      this.user = user;
      this.password = password;
      return this;
    }

    /** The private server, through its {@code debezium} user. */
    public Builder mariaDb(MariaDbInstance mariaDb) {
      return database(
          mariaDb.host(),
          mariaDb.port(),
          MariaDbInstance.DEBEZIUM_USER,
          MariaDbInstance.DEBEZIUM_PASSWORD);
    }

    public Builder bootstrapServers(String bootstrapServers) {
      this.bootstrapServers = bootstrapServers;
      return this;
    }

    /** Default {@code dbserver1}. */
    public Builder topicPrefix(String topicPrefix) {
      this.topicPrefix = topicPrefix;
      return this;
    }

    /** The databases to capture ({@code database.include.list}); default: all. */
    public Builder includeDatabases(String... databases) {
      this.databases = List.of(databases);
      return this;
    }

    /** Whether JSON keys and values carry the converter's schema wrapper; default false. */
    public Builder schemasEnabled(boolean schemasEnabled) {
      this.schemasEnabled = schemasEnabled;
      return this;
    }

    /** {@code database.server.id}; default: random, so that engines never collide. */
    public Builder serverId(long serverId) {
      this.serverId = serverId;
      return this;
    }

    /** Where offsets and schema history live (kept on close); default: a temporary directory. */
    public Builder directory(Path directory) {
      this.directory = directory;
      this.keepDirectory = true;
      return this;
    }

    public Builder keepDirectory(boolean keep) {
      this.keepDirectory = keep;
      return this;
    }

    public Builder startTimeout(Duration startTimeout) {
      this.startTimeout = startTimeout;
      return this;
    }

    /** Any engine or connector setting, applied over the defaults. */
    public Builder property(String name, String value) {
      overrides.setProperty(name, value);
      return this;
    }

    /** The engine's settings as they would be used, for a directory chosen by the caller. */
    public Properties engineProperties(Path directory) {
      if (host == null || bootstrapServers == null) {
        throw new IllegalStateException("database(...) and bootstrapServers(...) are required");
      }
      Properties p =
          DebeziumSettings.properties(
              host, port, user, password, serverId, topicPrefix, databases, directory);
      p.putAll(overrides);
      return p;
    }

    /**
     * Starts the engine; returns once its task runs (the snapshot follows within seconds).
     *
     * @throws DebeziumEngineException when the settings are refused or the database unreachable
     */
    public DebeziumEngineRunner start() {
      Path dir =
          directory != null
              ? Directories.create(directory)
              : Directories.createTemp("cdc2esdb-debezium-");
      DebeziumEngineRunner runner =
          new DebeziumEngineRunner(
              engineProperties(dir), bootstrapServers, schemasEnabled, dir, keepDirectory);
      runner.start(startTimeout);
      return runner;
    }
  }
}
