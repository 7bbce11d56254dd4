package io.cdc2esdb.dev;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

class ConnectRecordConverterTest {

  private static final Schema KEY =
      SchemaBuilder.struct().name("db1.inventory.customers.Key").field("id", Schema.INT32_SCHEMA);
  private static final Schema VALUE =
      SchemaBuilder.struct()
          .name("db1.inventory.customers.Envelope")
          .field("op", Schema.STRING_SCHEMA)
          .build();

  @Test
  void shouldWriteWhatConnectsJsonConverterWritesWithoutSchemas() {
    ProducerRecord<byte[], byte[]> out =
        new ConnectRecordConverter(false).toProducerRecord(change(1001, "c"));

    assertThat(out.topic()).isEqualTo("db1.inventory.customers");
    assertThat(out.partition()).isNull();
    assertThat(out.timestamp()).isEqualTo(1_700_000_000_000L);
    assertThat(text(out.key())).isEqualTo("{\"id\":1001}");
    assertThat(text(out.value())).isEqualTo("{\"op\":\"c\"}");
  }

  @Test
  void shouldWrapKeyAndValueInSchemaAndPayloadWhenSchemasAreEnabled() {
    ProducerRecord<byte[], byte[]> out =
        new ConnectRecordConverter(true).toProducerRecord(change(1001, "c"));

    assertThat(text(out.key()))
        .isEqualTo(
            "{\"schema\":{\"type\":\"struct\",\"fields\":[{\"type\":\"int32\",\"optional\":false,"
                + "\"field\":\"id\"}],\"optional\":false,"
                + "\"name\":\"db1.inventory.customers.Key\"},\"payload\":{\"id\":1001}}");
    assertThat(text(out.value())).endsWith(",\"payload\":{\"op\":\"c\"}}");
  }

  @Test
  void shouldWriteHeaderValuesBareAsConnectDoes() {
    ProducerRecord<byte[], byte[]> out =
        new ConnectRecordConverter(false).toProducerRecord(change(1001, "c"));

    assertThat(text(out.headers().lastHeader("__debezium.context.taskId").value())).isEqualTo("0");
    assertThat(text(out.headers().lastHeader("__debezium.context.connectorName").value()))
        .isEqualTo("mariadb");
    assertThat(text(out.headers().lastHeader("__debezium.newkey").value()))
        .isEqualTo("{\"id\":2003}");
  }

  @Test
  void shouldKeepATombstoneNullWithOrWithoutSchemas() {
    SourceRecord tombstone =
        new SourceRecord(
            Map.of(), Map.of(), "db1.inventory.customers", null, KEY, key(1002), null, null);

    assertThat(new ConnectRecordConverter(false).toProducerRecord(tombstone).value()).isNull();
    assertThat(new ConnectRecordConverter(true).toProducerRecord(tombstone).value()).isNull();
  }

  private static SourceRecord change(int id, String op) {
    ConnectHeaders headers = new ConnectHeaders();
    headers.addString("__debezium.context.connectorName", "mariadb");
    headers.addString("__debezium.context.taskId", "0");
    headers.addStruct("__debezium.newkey", key(2003));
    return new SourceRecord(
        Map.of(),
        Map.of(),
        "db1.inventory.customers",
        null,
        KEY,
        key(id),
        VALUE,
        new Struct(VALUE).put("op", op),
        1_700_000_000_000L,
        headers);
  }

  private static Struct key(int id) {
    return new Struct(KEY).put("id", id);
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
