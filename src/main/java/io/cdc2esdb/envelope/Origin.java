package io.cdc2esdb.envelope;

import java.util.List;

/**
 * The Kafka record a change was read from, kept for metadata and dead-letter records: a dead letter
 * written at any step carries the original record's headers. {@code valueBytes} is the size of the
 * record's value (0 when unknown), which bounds what the pending buffer holds on the heap.
 */
public record Origin(
    String topic,
    int partition,
    long offset,
    long timestamp,
    List<RecordHeader> headers,
    long valueBytes) {

  public Origin {
    headers = headers == null ? List.of() : List.copyOf(headers);
  }

  /** A record of unknown size. */
  public Origin(
      String topic, int partition, long offset, long timestamp, List<RecordHeader> headers) {
    this(topic, partition, offset, timestamp, headers, 0);
  }

  /** A record without headers. */
  public Origin(String topic, int partition, long offset, long timestamp) {
    this(topic, partition, offset, timestamp, List.of());
  }
}
