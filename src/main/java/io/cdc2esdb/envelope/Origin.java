package io.cdc2esdb.envelope;

import java.util.List;

/**
 * The Kafka record a change was read from, kept for metadata and dead-letter records: a dead letter
 * written at any step carries the original record's headers.
 */
public record Origin(
    String topic, int partition, long offset, long timestamp, List<RecordHeader> headers) {

  public Origin {
    headers = headers == null ? List.of() : List.copyOf(headers);
  }

  /** A record without headers. */
  public Origin(String topic, int partition, long offset, long timestamp) {
    this(topic, partition, offset, timestamp, List.of());
  }
}
