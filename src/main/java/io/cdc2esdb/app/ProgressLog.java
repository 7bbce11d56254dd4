package io.cdc2esdb.app;

import io.cdc2esdb.processing.Counters;
import io.cdc2esdb.topology.CdcTopology;
import java.util.regex.Pattern;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code run}'s periodic progress line, from what this instance's Kafka Streams knows: events
 * written and dead-lettered (cdc2esdb's counters over its current tasks), the main consumers' lag
 * behind the data topics, and about how many events wait in {@code pending}.
 */
final class ProgressLog {

  private static final Logger LOG = LoggerFactory.getLogger(ProgressLog.class);

  /** The stream threads' main consumers, not the restore or global consumers. */
  private static final Pattern MAIN_CONSUMER = Pattern.compile(".*-StreamThread-\\d+-consumer$");

  private final KafkaStreams streams;
  private long lastWritten;

  ProgressLog(KafkaStreams streams) {
    this.streams = streams;
  }

  void log() {
    long written = counter(Counters.EVENTS_WRITTEN);
    LOG.info(
        "Progress: {} events written (+{}), {} dead-lettered, lag {} records, about {} events"
            + " pending; Kafka Streams {}",
        written,
        written - lastWritten,
        counter(Counters.DEAD_LETTERED),
        lag(),
        pending(),
        streams.state());
    lastWritten = written;
  }

  private long counter(String name) {
    double sum = 0;
    for (Metric metric : streams.metrics().values()) {
      MetricName id = metric.metricName();
      if (id.group().equals(Counters.GROUP) && id.name().equals(name + "-total")) {
        sum += number(metric);
      }
    }
    return Math.round(sum);
  }

  private long lag() {
    double sum = 0;
    for (Metric metric : streams.metrics().values()) {
      MetricName id = metric.metricName();
      String client = id.tags().getOrDefault("client-id", "");
      if (id.name().equals("records-lag")
          && id.tags().containsKey("partition")
          && MAIN_CONSUMER.matcher(client).matches()) {
        sum += number(metric);
      }
    }
    return Math.round(sum);
  }

  private String pending() {
    try {
      return Long.toString(
          streams
              .store(
                  StoreQueryParameters.fromNameAndType(
                      CdcTopology.PENDING_STORE, QueryableStoreTypes.keyValueStore()))
              .approximateNumEntries());
    } catch (InvalidStateStoreException e) {
      return "?"; // not queryable while starting or rebalancing
    }
  }

  private static double number(Metric metric) {
    Object value = metric.metricValue();
    return value instanceof Number n && !Double.isNaN(n.doubleValue()) ? n.doubleValue() : 0;
  }
}
