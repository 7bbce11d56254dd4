package io.cdc2esdb.dev;

import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.storage.SimpleHeaderConverter;

/**
 * Turns a connector's record into the bytes Kafka Connect would produce for it with the JSON
 * converter and the simple header converter — Connect's defaults. The embedded engine's own JSON
 * format quotes header values ({@code "0"} where Connect writes {@code 0}); converting here keeps
 * the records identical to what a production Connect deployment writes.
 */
final class ConnectRecordConverter implements AutoCloseable {

  private final JsonConverter keys = new JsonConverter();
  private final JsonConverter values = new JsonConverter();
  private final SimpleHeaderConverter headers = new SimpleHeaderConverter();

  /**
   * @param schemasEnabled whether key and value carry the converter's {@code schema}/{@code
   *     payload} wrapper ({@code key/value.converter.schemas.enable})
   */
  ConnectRecordConverter(boolean schemasEnabled) {
    keys.configure(Map.of("schemas.enable", schemasEnabled), true);
    values.configure(Map.of("schemas.enable", schemasEnabled), false);
    headers.configure(Map.of());
  }

  /** The record for the connector's own topic; its partition when it chose one. */
  ProducerRecord<byte[], byte[]> toProducerRecord(SourceRecord record) {
    String topic = record.topic();
    RecordHeaders kafkaHeaders = new RecordHeaders();
    for (Header header : record.headers()) {
      kafkaHeaders.add(
          header.key(),
          headers.fromConnectHeader(topic, header.key(), header.schema(), header.value()));
    }
    byte[] key = keys.fromConnectData(topic, kafkaHeaders, record.keySchema(), record.key());
    byte[] value =
        values.fromConnectData(topic, kafkaHeaders, record.valueSchema(), record.value());
    Long timestamp =
        record.timestamp() != null && record.timestamp() >= 0 ? record.timestamp() : null;
    return new ProducerRecord<>(
        topic, record.kafkaPartition(), timestamp, key, value, kafkaHeaders);
  }

  @Override
  public void close() {
    keys.close();
    values.close();
    // The header converter holds no resources (its close() only declares an IOException).
  }
}
