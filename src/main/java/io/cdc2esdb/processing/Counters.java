package io.cdc2esdb.processing;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.StreamsMetrics;

/**
 * cdc2esdb's counters, registered as Kafka Streams task-level custom metrics: group {@code
 * stream-cdc2esdb-metrics}, tag {@code cdc2esdb-id} = the task, names {@code <name>-total} and
 * {@code <name>-rate}. They reach JMX and any metrics reporter like Kafka Streams' own.
 */
public final class Counters {

  public static final String SCOPE = "cdc2esdb";

  public static final String DEAD_LETTERED = "dead-lettered";
  public static final String TOMBSTONES = "tombstones-dropped";
  public static final String IGNORED = "records-ignored";
  public static final String EVENTS_WRITTEN = "events-written";
  public static final String APPENDS = "appends";
  public static final String CONFLICTS = "conflicts";
  public static final String SKIPPED_BELOW_HIGH_WATER = "events-skipped-below-high-water-mark";
  public static final String RELEASED_ON_TIMEOUT = "events-released-on-timeout";

  private final StreamsMetrics metrics;
  private final String entity;
  private final Map<String, Sensor> sensors = new HashMap<>();

  public Counters(StreamsMetrics metrics, String taskId) {
    this.metrics = metrics;
    this.entity = taskId;
  }

  public void add(String name, long count) {
    if (count > 0) {
      sensors
          .computeIfAbsent(
              name, n -> metrics.addRateTotalSensor(SCOPE, entity, n, Sensor.RecordingLevel.INFO))
          .record(count);
    }
  }

  public void increment(String name) {
    add(name, 1);
  }
}
