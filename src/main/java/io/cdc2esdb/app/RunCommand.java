package io.cdc2esdb.app;

import io.cdc2esdb.config.CdcConfig;
import io.cdc2esdb.config.Settings;
import io.cdc2esdb.metrics.CdcMetrics;
import io.cdc2esdb.query.QueryServer;
import io.cdc2esdb.sink.EventStoreWriter;
import io.cdc2esdb.sink.EventStoreWriters;
import io.cdc2esdb.topology.CdcTopology;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The production entry point: checks the Kafka side (see {@link StartupCheck}), runs the topology
 * against any Kafka cluster and EventStoreDB until SIGTERM, then closes Kafka Streams (which
 * flushes and commits) and the EventStoreDB client.
 *
 * <p>A stop is honoured at any moment. The shutdown hook only asks; the main thread, which owns
 * every resource, closes them. Kafka Streams' {@code start()} can block for minutes when the
 * cluster goes away right after the checks (it bootstraps the global store), and {@code
 * close(Duration)} waits for the same lock; so a stop during {@code start()} uses the unlocked
 * {@code close()} on a helper thread, and the hook waits a bounded time either way.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Run cdc2esdb against a Kafka cluster and EventStoreDB.")
public final class RunCommand implements Callable<Integer> {

  private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

  @Option(
      names = "--config",
      required = true,
      description = "Properties file; CDC2ESDB_<KEY> environment variables override it.")
  Path config;

  private final AtomicBoolean stopRequested = new AtomicBoolean();
  private final CountDownLatch stop = new CountDownLatch(1);
  private final CountDownLatch finished = new CountDownLatch(1);
  private final AtomicBoolean starting = new AtomicBoolean();
  private volatile KafkaStreams streams;

  @Override
  public Integer call() throws InterruptedException {
    Thread hook = new Thread(this::requestStopAndWait, "cdc2esdb-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      return runUntilStopped();
    } finally {
      finished.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // the JVM is shutting down: the hook is running, and now returns
      }
    }
  }

  private int runUntilStopped() throws InterruptedException {
    Settings settings;
    try {
      settings = Settings.load(config, System.getenv());
    } catch (ConfigException e) {
      System.err.println("Invalid configuration: " + e.getMessage());
      return ExitCodes.BAD_CONFIGURATION;
    }
    settings
        .unknownKeys()
        .forEach(
            key ->
                LOG.warn(
                    "Unknown configuration key '{}': neither cdc2esdb's nor a Kafka Streams or"
                        + " client setting; it is ignored",
                    key));
    CdcConfig cdc = settings.cdc();
    try {
      StartupCheck.Outcome outcome = StartupCheck.run(cdc, settings.streams(), stopRequested::get);
      outcome.notes().forEach(LOG::info);
      outcome.warnings().forEach(LOG::warn);
    } catch (StartupCheck.Failure e) {
      if (e.exitCode() == ExitCodes.STOPPED) {
        LOG.info("Stopped during the start-up checks");
      } else {
        System.err.println(e.getMessage());
      }
      return e.exitCode();
    }
    if (stopRequested.get()) {
      return ExitCodes.STOPPED;
    }
    // HTTP binds first: application.server defaults to the bound address (port 0 works).
    Properties properties = settings.streams();
    QueryServer http;
    try {
      http = QueryServer.open(cdc, properties).orElse(null);
    } catch (ConfigException e) {
      System.err.println("Invalid configuration: " + e.getMessage());
      return ExitCodes.BAD_CONFIGURATION;
    }
    CdcMetrics metrics = new CdcMetrics();
    EventStoreWriter writer =
        metrics.timed(
            EventStoreWriters.connect(
                cdc.esdbConnectionString().value(),
                cdc.esdbDeadlineMs(),
                cdc.esdbMaxAppendBytes(),
                cdc.esdbBatchAppend()));
    try {
      return runStreams(properties, cdc, writer, http, metrics);
    } finally {
      writer.close();
      if (http != null) {
        http.close();
      }
      metrics.close();
    }
  }

  private int runStreams(
      Properties properties,
      CdcConfig cdc,
      EventStoreWriter writer,
      QueryServer http,
      CdcMetrics metrics)
      throws InterruptedException {
    Topology topology = CdcTopology.build(cdc, writer);
    KafkaStreams kafkaStreams = new KafkaStreams(topology, properties);
    streams = kafkaStreams;
    if (http != null) {
      http.serve(kafkaStreams, topology, writer, metrics, cdc);
    }
    ThreadFailures failures = new ThreadFailures();
    kafkaStreams.setUncaughtExceptionHandler(
        e -> {
          StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse response =
              failures.failed();
          if (response
              == StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD) {
            // The failed task restarts from its last commit; replays are harmless by design.
            LOG.error("Stream thread failed; replacing it", e);
          } else {
            LOG.error(
                "Stream thread failed {} times within {} s; stopping (exit 1) so that the process"
                    + " can be started afresh",
                failures.recent(),
                ThreadFailures.WINDOW.toSeconds(),
                e);
          }
          return response;
        });
    kafkaStreams.setStateListener(
        (now, before) -> {
          LOG.info("Kafka Streams {} -> {}", before, now);
          if (http != null) {
            http.onStateChange(now, before);
          }
          if (now == KafkaStreams.State.ERROR) {
            stop.countDown();
          }
        });
    ProgressLog progress = new ProgressLog(kafkaStreams);
    starting.set(true);
    try {
      if (!stopRequested.get()) {
        kafkaStreams.start();
      }
    } finally {
      starting.set(false);
    }
    long interval = cdc.progressIntervalMs();
    while (!stop.await(interval > 0 ? interval : Long.MAX_VALUE, TimeUnit.MILLISECONDS)) {
      progress.log();
    }
    boolean failed = kafkaStreams.state() == KafkaStreams.State.ERROR && !stopRequested.get();
    progress.log(); // the last word on this run's counters, which close() unregisters
    kafkaStreams.close(CLOSE_TIMEOUT);
    return failed ? ExitCodes.FAILED : ExitCodes.STOPPED;
  }

  /** The shutdown hook: asks the main thread to stop, and waits (bounded) until it has. */
  private void requestStopAndWait() {
    LOG.info("Stop requested: closing Kafka Streams (which commits) and the EventStoreDB client");
    stopRequested.set(true);
    stop.countDown();
    KafkaStreams current = streams;
    if (current != null && starting.get()) {
      Thread closer = new Thread(current::close, "cdc2esdb-close-during-start");
      closer.setDaemon(true);
      closer.start();
    }
    try {
      if (!finished.await(CLOSE_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS)) {
        LOG.warn("Not stopped cleanly within {} s; exiting anyway", CLOSE_TIMEOUT.toSeconds() + 5);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The text after {@code run --help}'s options: exit codes and every cdc2esdb setting. */
  static String helpFooter() {
    StringBuilder text = new StringBuilder();
    text.append("%nExit codes: 1 failed, 2 bad configuration, 3 Kafka cluster unreachable within")
        .append(" startup.timeout.ms, 4 transaction topic missing or dead-letter topic not")
        .append(" creatable; on SIGTERM the JVM's 143, after a clean stop.%n")
        .append("%ncdc2esdb settings (key = default), beside any Kafka Streams or client setting;")
        .append(" the README's Configuration section explains each:%n");
    for (ConfigDef.ConfigKey key : CdcConfig.CONFIG_DEF.configKeys().values()) {
      Object value = key.defaultValue;
      String shown = value instanceof Password p ? p.value() : String.valueOf(value);
      text.append("  ").append(key.name).append(" = ").append(shown).append("%n");
    }
    return text.toString().replace("%", "%%").replace("%%n", "%n");
  }
}
