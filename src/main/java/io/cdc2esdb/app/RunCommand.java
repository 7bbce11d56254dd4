package io.cdc2esdb.app;

import io.cdc2esdb.config.CdcConfig;
import io.cdc2esdb.config.Settings;
import io.cdc2esdb.metrics.CdcMetrics;
import io.cdc2esdb.query.QueryServer;
import io.cdc2esdb.sink.EsdbWriter;
import io.cdc2esdb.sink.EventStoreWriter;
import io.cdc2esdb.topology.CdcTopology;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The production entry point: runs the topology against any Kafka cluster and EventStoreDB until
 * SIGTERM, then closes Kafka Streams (which flushes and commits) and the EventStoreDB client.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Run cdc2esdb against a Kafka cluster and EventStoreDB.")
public final class RunCommand implements Callable<Integer> {

  private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

  @Option(
      names = "--config",
      required = true,
      description = "Properties file; CDC2ESDB_<KEY> environment variables override it.")
  Path config;

  @Override
  public Integer call() throws InterruptedException {
    Settings settings;
    try {
      settings = Settings.load(config, System.getenv());
    } catch (ConfigException e) {
      System.err.println("Invalid configuration: " + e.getMessage());
      return 2;
    }
    CdcConfig cdc = settings.cdc();
    Properties properties = settings.streams();
    QueryServer http;
    try {
      http = QueryServer.open(cdc, properties).orElse(null);
    } catch (ConfigException e) {
      System.err.println("Invalid configuration: " + e.getMessage());
      return 2;
    }
    CdcMetrics metrics = new CdcMetrics();
    EventStoreWriter writer =
        metrics.timed(
            EsdbWriter.connect(
                cdc.esdbConnectionString().value(),
                cdc.esdbDeadlineMs(),
                cdc.esdbMaxAppendBytes()));
    Topology topology = CdcTopology.build(cdc, writer);
    KafkaStreams streams = new KafkaStreams(topology, properties);
    if (http != null) {
      http.serve(streams, topology, writer, metrics, cdc); // logs state changes too
    } else {
      streams.setStateListener((now, before) -> LOG.info("Kafka Streams {} -> {}", before, now));
    }
    streams.setUncaughtExceptionHandler(
        e -> {
          // The failed task restarts from its last commit; replays are harmless by design.
          LOG.error("Stream thread failed; replacing it", e);
          return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  streams.close(Duration.ofSeconds(30));
                  writer.close();
                  if (http != null) {
                    http.close();
                  }
                  metrics.close();
                  stopped.countDown();
                },
                "cdc2esdb-shutdown"));
    streams.start();
    stopped.await();
    return 0;
  }
}
