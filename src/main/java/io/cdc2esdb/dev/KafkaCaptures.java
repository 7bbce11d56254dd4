package io.cdc2esdb.dev;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** Conversions between capture records and Kafka's client records; the capture types stay pure. */
public final class KafkaCaptures {

  private KafkaCaptures() {}

  /** What a consumer read, as a capture record. */
  public static CaptureRecord fromConsumerRecord(ConsumerRecord<byte[], byte[]> record) {
    List<CaptureRecord.Header> headers = new ArrayList<>();
    for (Header header : record.headers()) {
      headers.add(new CaptureRecord.Header(header.key(), header.value()));
    }
    return new CaptureRecord(
        record.topic(),
        record.partition(),
        record.offset(),
        record.timestamp(),
        record.key(),
        record.value(),
        headers);
  }

  /**
   * The record to produce again: same topic, partition, timestamp (when known), key, value and
   * headers. The broker assigns a new offset.
   */
  public static ProducerRecord<byte[], byte[]> toProducerRecord(CaptureRecord record) {
    Long timestamp = record.timestamp() >= 0 ? record.timestamp() : null;
    return new ProducerRecord<>(
        record.topic(),
        record.partition(),
        timestamp,
        record.key(),
        record.value(),
        headers(record));
  }

  /** The record's headers as Kafka headers, e.g. for {@code TestInputTopic}. */
  public static Headers headers(CaptureRecord record) {
    RecordHeaders headers = new RecordHeaders();
    for (CaptureRecord.Header header : record.headers()) {
      headers.add(header.name(), header.value());
    }
    return headers;
  }
}
