package io.cdc2esdb.metrics;

import io.cdc2esdb.error.DeadLetterCode;
import io.cdc2esdb.processing.Counters;
import io.cdc2esdb.sink.EventStoreWriter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;

/**
 * One instance's meters, for Prometheus: Kafka Streams' own metrics (Micrometer's {@link
 * KafkaStreamsMetrics} binder, names {@code kafka_stream_*}) and cdc2esdb's {@code cdc2esdb_*}
 * meters. The counters are read from what the processors already record ({@link Counters}, summed
 * over this instance's tasks), append latency from a decorator around the writer port, and the
 * pending backlog per task from the {@code pending} stores when scraped.
 */
public final class CdcMetrics implements AutoCloseable {

  /** cdc2esdb counter ({@link Counters} name) -> Prometheus meter name, without {@code _total}. */
  static final Map<String, String> COUNTERS =
      Map.of(
          Counters.VALUES_UNDECODED, "cdc2esdb.values.undecoded",
          Counters.EVENTS_WRITTEN, "cdc2esdb.events.written",
          Counters.DEAD_LETTERED, "cdc2esdb.dead.lettered",
          Counters.APPENDS, "cdc2esdb.appends",
          Counters.CONFLICTS, "cdc2esdb.conflicts",
          Counters.RELEASED_ON_TIMEOUT, "cdc2esdb.events.released.on.timeout",
          Counters.TOMBSTONES, "cdc2esdb.tombstones.dropped",
          Counters.IGNORED, "cdc2esdb.records.ignored",
          Counters.SKIPPED_BELOW_HIGH_WATER, "cdc2esdb.events.skipped.below.high.water.mark");

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final MultiGauge pendingEvents =
      MultiGauge.builder("cdc2esdb.pending.events")
          .description("Changes waiting in a task's pending buffer")
          .register(registry);
  private final MultiGauge pendingOldestAge =
      MultiGauge.builder("cdc2esdb.pending.oldest.age")
          .description("How long the oldest change in a task's pending buffer has waited")
          .baseUnit("seconds")
          .register(registry);
  private KafkaStreamsMetrics streamsMetrics;

  /** A task's backlog, as the pending gauges show it. */
  public record TaskBacklog(String task, long events, double oldestAgeSeconds) {}

  /** {@code writer}, with every append timed by outcome. */
  public EventStoreWriter timed(EventStoreWriter writer) {
    return new TimedEventStoreWriter(writer, registry);
  }

  /** Adds Kafka Streams' metrics and cdc2esdb's counters of {@code streams}. */
  public synchronized void bind(KafkaStreams streams) {
    streamsMetrics = new KafkaStreamsMetrics(streams);
    streamsMetrics.bindTo(registry);
    COUNTERS.forEach(
        (counter, meter) ->
            FunctionCounter.builder(meter, streams, s -> total(s, counter))
                .description("cdc2esdb " + counter + ", over this instance's tasks")
                .register(registry));
    for (DeadLetterCode code : DeadLetterCode.values()) {
      FunctionCounter.builder(
              "cdc2esdb.dead.lettered.by.code", streams, s -> total(s, Counters.byCode(code)))
          .description("Records dead-lettered, by error code, over this instance's tasks")
          .tag("code", code.code())
          .register(registry);
    }
  }

  /** The sum of {@code counter} over the tasks of {@code streams} (those it runs now). */
  static double total(KafkaStreams streams, String counter) {
    String name = counter + "-total";
    return streams.metrics().values().stream()
        .filter(m -> m.metricName().group().equals(Counters.GROUP))
        .filter(m -> m.metricName().name().equals(name))
        .mapToDouble(m -> ((Number) m.metricValue()).doubleValue())
        .sum();
  }

  /** Replaces the pending gauges with {@code backlog} (tasks not in it are gone from this one). */
  public void updatePending(List<TaskBacklog> backlog) {
    pendingEvents.register(
        backlog.stream()
            .map(b -> MultiGauge.Row.of(Tags.of("task_id", b.task()), b.events()))
            .toList(),
        true);
    pendingOldestAge.register(
        backlog.stream()
            .map(b -> MultiGauge.Row.of(Tags.of("task_id", b.task()), b.oldestAgeSeconds()))
            .toList(),
        true);
  }

  /** Every meter, in Prometheus' text format. */
  public String scrape() {
    return registry.scrape();
  }

  @Override
  public synchronized void close() {
    if (streamsMetrics != null) {
      streamsMetrics.close();
    }
    registry.close();
  }
}
