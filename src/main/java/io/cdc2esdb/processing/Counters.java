package io.cdc2esdb.processing;

import io.cdc2esdb.error.DeadLetterCode;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.CumulativeSum;
import org.apache.kafka.common.metrics.stats.Rate;
import org.apache.kafka.common.metrics.stats.WindowedSum;
import org.apache.kafka.streams.StreamsMetrics;

/**
 * cdc2esdb's counters, registered with Kafka Streams' metrics (so they reach JMX and any metrics
 * reporter like Kafka Streams' own): group {@value #GROUP}, tags {@code thread-id} and {@code
 * task-id}, names {@code <name>-total} (the sum of what was counted) and {@code <name>-rate} (per
 * second). Kafka Streams' own rate/total sensors count calls, not amounts, which is why these are
 * built from a plain sensor.
 */
public final class Counters implements AutoCloseable {

  public static final String GROUP = "stream-cdc2esdb-metrics";

  public static final String DEAD_LETTERED = "dead-lettered";
  public static final String TOMBSTONES = "tombstones-dropped";
  public static final String IGNORED = "records-ignored";
  public static final String EVENTS_WRITTEN = "events-written";
  public static final String APPENDS = "appends";
  public static final String CONFLICTS = "conflicts";
  public static final String SKIPPED_BELOW_HIGH_WATER = "events-skipped-below-high-water-mark";
  public static final String RELEASED_ON_TIMEOUT = "events-released-on-timeout";
  public static final String TRANSACTIONS_SPLIT = "transactions-split";
  public static final String BACKPRESSURE_WAITS = "backpressure-waits";

  /**
   * Non-null column values written as Debezium encoded them because their type is unknown (no
   * schema wrapper and no table structure seen yet).
   */
  public static final String VALUES_UNDECODED = "values-undecoded";

  private final StreamsMetrics metrics;
  private final String taskId;
  private final String threadId = Thread.currentThread().getName();
  private final Map<String, Sensor> sensors = new HashMap<>();

  public Counters(StreamsMetrics metrics, String taskId) {
    this.metrics = metrics;
    this.taskId = taskId;
  }

  public void add(String name, long count) {
    if (count > 0) {
      sensors.computeIfAbsent(name, this::sensor).record(count);
    }
  }

  public void increment(String name) {
    add(name, 1);
  }

  /**
   * One record dead-lettered for {@code code}: counted in {@value #DEAD_LETTERED} and in {@code
   * dead-lettered-<code>} (e.g. {@code dead-lettered-malformed-json}).
   */
  public void deadLettered(DeadLetterCode code) {
    increment(DEAD_LETTERED);
    increment(byCode(code));
  }

  /** The name of the counter of records dead-lettered for {@code code}. */
  public static String byCode(DeadLetterCode code) {
    return DEAD_LETTERED + "-" + code.code();
  }

  private Sensor sensor(String name) {
    Sensor sensor =
        metrics.addSensor(
            "cdc2esdb." + threadId + "." + taskId + "." + name, Sensor.RecordingLevel.INFO);
    Map<String, String> tags = Map.of("thread-id", threadId, "task-id", taskId);
    sensor.add(new MetricName(name + "-total", GROUP, "Total " + name, tags), new CumulativeSum());
    sensor.add(
        new MetricName(name + "-rate", GROUP, name + " per second", tags),
        new Rate(new WindowedSum()));
    return sensor;
  }

  /** Unregisters this task's metrics, so that the task can be opened again on any thread. */
  @Override
  public void close() {
    sensors.values().forEach(metrics::removeSensor);
    sensors.clear();
  }
}
