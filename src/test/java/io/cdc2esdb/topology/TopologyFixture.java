package io.cdc2esdb.topology;

import io.cdc2esdb.config.CdcConfig;
import io.cdc2esdb.config.Settings;
import io.cdc2esdb.dev.CaptureFile;
import io.cdc2esdb.dev.CaptureRecord;
import io.cdc2esdb.envelope.Json;
import io.cdc2esdb.sink.EventStoreWriter;
import io.cdc2esdb.sink.InMemoryEventStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * A TopologyTestDriver around the real topology with an in-memory EventStoreDB, a fixed start time
 * and a wall clock the test moves. Replays capture files record by record, like Kafka would.
 */
final class TopologyFixture implements AutoCloseable {

  static final Instant START = Instant.parse("2026-11-01T00:00:00Z");
  static final String FIXTURES = "/fixtures/debezium-mariadb-3.5/";

  final InMemoryEventStore store;
  final TopologyTestDriver driver;
  final CdcConfig config;
  private final Map<String, TestInputTopic<byte[], byte[]>> inputs = new HashMap<>();
  private final TestOutputTopic<byte[], byte[]> deadLetters;

  TopologyFixture(Path stateDir, InMemoryEventStore store, Map<String, String> overrides) {
    this(stateDir, (EventStoreWriter) store, store, overrides);
  }

  TopologyFixture(
      Path stateDir,
      EventStoreWriter writer,
      InMemoryEventStore store,
      Map<String, String> overrides) {
    Map<String, String> props = new HashMap<>();
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.putAll(overrides);
    Settings settings = Settings.of(props);
    this.config = settings.cdc();
    this.store = store;
    this.driver =
        new TopologyTestDriver(CdcTopology.build(config, writer), settings.streams(), START);
    this.deadLetters =
        driver.createOutputTopic(
            config.deadLetterTopic(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  static List<CaptureRecord> capture(String name) {
    return resource(FIXTURES + name);
  }

  /** A capture under {@code src/test/resources}, by its resource path. */
  static List<CaptureRecord> resource(String name) {
    try (InputStream in = TopologyFixture.class.getResourceAsStream(name)) {
      return CaptureFile.read(in, name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Path tempDir(Path parent, String name) {
    try {
      return Files.createDirectories(parent.resolve(name));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Pipes each record to its own topic with its headers and timestamp; records of topics the
   * topology does not read are left out, as its consumer would.
   */
  void pipe(List<CaptureRecord> records) {
    for (CaptureRecord r : records) {
      if (!reads(r.topic())) {
        continue;
      }
      RecordHeaders headers = new RecordHeaders();
      r.headers().forEach(h -> headers.add(h.name(), h.value()));
      long ts = r.timestamp() >= 0 ? r.timestamp() : START.toEpochMilli();
      input(r.topic()).pipeInput(new TestRecord<>(r.key(), r.value(), headers, ts));
    }
  }

  boolean reads(String topic) {
    return topic.equals(config.transactionTopic())
        || (config.naturalValues() && topic.equals(config.schemaChangesTopic()))
        || config.dataTopicsPattern().matcher(topic).matches();
  }

  /** The sum over tasks of cdc2esdb counter {@code name} (see {@code Counters}). */
  double counterTotal(String name) {
    return driver.metrics().entrySet().stream()
        .filter(e -> e.getKey().group().equals("stream-cdc2esdb-metrics"))
        .filter(e -> e.getKey().name().equals(name + "-total"))
        .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue())
        .sum();
  }

  void pipe(String topic, String key, String value) {
    pipe(topic, key, value, new RecordHeaders());
  }

  void pipe(String topic, String key, String value, RecordHeaders headers) {
    input(topic)
        .pipeInput(
            new TestRecord<>(
                key == null ? null : key.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                value == null ? null : value.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                headers,
                START.toEpochMilli()));
  }

  /** Moves the wall clock past one flush interval, which runs the flush punctuation. */
  void flush() {
    driver.advanceWallClockTime(Duration.ofMillis(config.flushIntervalMs()));
  }

  void advance(Duration duration) {
    driver.advanceWallClockTime(duration);
  }

  List<TestRecord<byte[], byte[]>> deadLetters() {
    return deadLetters.readRecordsToList();
  }

  /** The metadata of each event of a stream, parsed. */
  List<com.fasterxml.jackson.databind.JsonNode> metadata(String stream) {
    List<com.fasterxml.jackson.databind.JsonNode> out = new ArrayList<>();
    for (InMemoryEventStore.Recorded r : store.events(stream)) {
      try {
        out.add(Json.read(r.event().metadata()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out;
  }

  List<String> types(String stream) {
    return store.events(stream).stream().map(r -> r.event().type()).toList();
  }

  private TestInputTopic<byte[], byte[]> input(String topic) {
    return inputs.computeIfAbsent(
        topic,
        t -> driver.createInputTopic(t, new ByteArraySerializer(), new ByteArraySerializer()));
  }

  @Override
  public void close() {
    driver.close();
  }
}
