package io.cdc2esdb.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdc2esdb.event.EventData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {

  private static final Map<String, String> MINIMAL = Map.of("bootstrap.servers", "127.0.0.1:9092");

  @TempDir Path tmp;

  @Test
  void shouldAppendOverBatchAppendUnlessTurnedOff() {
    assertThat(Settings.of(MINIMAL).cdc().esdbBatchAppend()).isTrue();
    assertThat(
            Settings.of(Map.of("bootstrap.servers", "x:1", "esdb.batch.append", "false"))
                .cdc()
                .esdbBatchAppend())
        .isFalse();
    assertThatThrownBy(
            () -> Settings.of(Map.of("bootstrap.servers", "x:1", "esdb.batch.append", "maybe")))
        .hasMessageContaining("esdb.batch.append");
  }

  @Test
  void shouldDeriveTopicsFromThePrefix() {
    CdcConfig config =
        Settings.of(Map.of("bootstrap.servers", "x:1", "topic.prefix", "shop")).cdc();
    assertThat(config.transactionTopic()).isEqualTo("shop.transaction");
    assertThat(config.dataTopicsPattern().matcher("shop.inventory.customers").matches()).isTrue();
    assertThat(config.dataTopicsPattern().matcher("shop.transaction").matches()).isFalse();
    assertThat(config.dataTopicsPattern().matcher("shop").matches()).isFalse();
    assertThat(config.dataTopicsPattern().matcher("shopXinventory.customers").matches()).isFalse();
  }

  @Test
  void shouldPassKafkaStreamsKeysThroughOverCdc2esdbDefaults() {
    Settings settings =
        Settings.of(
            Map.of(
                "bootstrap.servers", "127.0.0.1:9092",
                "application.id", "orders-to-esdb",
                "event.data", "change"));
    assertThat(settings.streams().getProperty(StreamsConfig.APPLICATION_ID_CONFIG))
        .isEqualTo("orders-to-esdb");
    assertThat(settings.streams().get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG))
        .isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
    assertThat(settings.streams()).doesNotContainKey("event.data");
    assertThat(settings.cdc().eventData()).isEqualTo(EventData.CHANGE);
  }

  @Test
  void shouldStopOnABadValueNamingTheKey() {
    assertThatThrownBy(() -> Settings.of(with("transaction.max.wait.ms", "-5")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("transaction.max.wait.ms");
    assertThatThrownBy(() -> Settings.of(with("event.data", "rows")))
        .hasMessageContaining("event.data");
    assertThatThrownBy(() -> Settings.of(with("stream.name.format", "{key}")))
        .hasMessageContaining("stream.name.format");
    assertThatThrownBy(() -> Settings.of(with("data.topics.pattern", "(")))
        .hasMessageContaining("data.topics.pattern");
    assertThatThrownBy(() -> Settings.of(with("num.stream.threads", "many")))
        .hasMessageContaining("num.stream.threads");
    assertThatThrownBy(() -> Settings.of(with("http.listen", "8089")))
        .hasMessageContaining("http.listen");
    assertThatThrownBy(() -> Settings.of(with("http.listen", "127.0.0.1:70000")))
        .hasMessageContaining("http.listen");
  }

  @Test
  void shouldListenOnLoopbackUnlessToldOtherwise() {
    assertThat(Settings.of(with("http.listen", CdcConfig.DEFAULT_HTTP_LISTEN)).cdc().httpListen())
        .startsWith("127.0.0.1:");
    assertThat(Settings.of(with("http.listen", "")).cdc().httpListen()).isEmpty();
  }

  @Test
  void shouldRequireTheKafkaBootstrapServers() {
    assertThatThrownBy(() -> Settings.of(Map.of())).hasMessageContaining("bootstrap.servers");
  }

  @Test
  void shouldLetTheEnvironmentOverrideTheFile() throws IOException {
    Path file = tmp.resolve("cdc2esdb.properties");
    Files.writeString(file, "bootstrap.servers=127.0.0.1:9092\ntopic.prefix=fromfile\n");
    Settings settings =
        Settings.load(
            file, Map.of("CDC2ESDB_TOPIC_PREFIX", "fromenv", "CDC2ESDB_NUM_STREAM_THREADS", "3"));
    assertThat(settings.cdc().topicPrefix()).isEqualTo("fromenv");
    assertThat(settings.streams().getProperty("num.stream.threads")).isEqualTo("3");
  }

  @Test
  void shouldNeverPrintTheConnectionStringsPassword() {
    CdcConfig config =
        Settings.of(with("esdb.connection.string", "esdb://admin:changeit@127.0.0.1:2113")).cdc();
    assertThat(config.esdbConnectionString().toString()).doesNotContain("changeit");
    assertThat(config.toString()).doesNotContain("changeit");
  }

  @Test
  void shouldRefuseAConnectionStringTheClientCannotUseNamingTheKey() {
    assertThatThrownBy(() -> Settings.of(with("esdb.connection.string", "http://127.0.0.1:2113")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("esdb.connection.string");
    assertThatThrownBy(
            () ->
                Settings.of(
                    with("esdb.connection.string", "esdb://u:pw123@127.0.0.1:2113?tls=maybe")))
        .hasMessageContaining("esdb.connection.string")
        .hasMessageContaining("tls")
        .hasMessageNotContaining("pw123");
  }

  @Test
  void shouldAcceptKurrentDbSchemes() {
    assertThat(
            Settings.of(with("esdb.connection.string", "kurrentdb://127.0.0.1:2113?tls=false"))
                .cdc()
                .esdbConnectionString()
                .value())
        .startsWith("kurrentdb://");
    Settings.of(with("esdb.connection.string", "kurrentdb+discover://a:2113,b:2113?tls=true"));
  }

  @Test
  void shouldReportKeysThatNobodyKnows() {
    Map<String, String> props = new HashMap<>(MINIMAL);
    props.put("flsh.interval.ms", "50");
    props.put("num.stream.threads", "2");
    props.put("consumer.max.poll.records", "10");
    props.put("main.consumer.fetch.min.bytes", "1");
    props.put("producer.linger.ms", "5");
    props.put("admin.retries", "3");
    props.put("topic.segment.bytes", "1048576");
    props.put("ssl.truststore.location", "/x");
    props.put("flush.interval.ms", "50");
    props.put("producer.lingr.ms", "5");
    assertThat(Settings.of(props).unknownKeys())
        .containsExactly("flsh.interval.ms", "producer.lingr.ms");
  }

  private static Map<String, String> with(String key, String value) {
    Map<String, String> props = new HashMap<>(MINIMAL);
    props.put(key, value);
    return props;
  }
}
