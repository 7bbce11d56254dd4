package io.cdc2esdb.config;

import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;

/** The Kafka Streams settings cdc2esdb runs with unless the configuration says otherwise. */
final class StreamsDefaults {

  private StreamsDefaults() {}

  static Properties defaults() {
    Properties p = new Properties();
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, "cdc2esdb");
    // Exactly-once makes the Kafka side atomic: pending-buffer changelog, stream-positions
    // changelog, dead letters and input offsets commit together. The EventStoreDB side is made
    // idempotent by the append processor, whatever the guarantee.
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    // A generated name for a store or internal topic would silently lose state on a topology
    // change: refuse to start instead.
    p.put(StreamsConfig.ENSURE_EXPLICIT_INTERNAL_RESOURCE_NAMING_CONFIG, true);
    p.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
    return p;
  }
}
