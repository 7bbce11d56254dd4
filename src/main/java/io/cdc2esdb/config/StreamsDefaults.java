package io.cdc2esdb.config;

import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsConfig;

/** The Kafka Streams settings cdc2esdb runs with unless the configuration says otherwise. */
final class StreamsDefaults {

  /** Where the stores live unless {@code state.dir} says otherwise: under the working directory. */
  static final String DEFAULT_STATE_DIR = "cdc2esdb-state";

  /**
   * The largest request cdc2esdb's producer sends and the largest record batch its internal topics
   * take: a Debezium record of up to 16 MiB (a large row) is buffered in {@code pending}, whose
   * changelog record is about as large, plus room for batch and record headers.
   */
  static final int MAX_REQUEST_BYTES = 16 * 1024 * 1024 + 256 * 1024;

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
    // Kafka Streams' own default is the OS temp directory, which the OS may clear under a running
    // instance (and which it warns about): keep the stores where the operator can see them.
    p.put(StreamsConfig.STATE_DIR_CONFIG, DEFAULT_STATE_DIR);
    p.put(StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), MAX_REQUEST_BYTES);
    p.put(StreamsConfig.topicPrefix(TopicConfig.MAX_MESSAGE_BYTES_CONFIG), MAX_REQUEST_BYTES);
    return p;
  }
}
