package io.cdc2esdb.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdc2esdb.config.CdcConfig;
import io.cdc2esdb.config.Settings;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

/** The HTTP surface before Kafka Streams is handed to it, and its input checks. */
class QueryApiTest {

  private final QueryApi api = new QueryApi(new HostInfo("127.0.0.1", 1));

  @Test
  void shouldBeLiveButNotReadyWhileStarting() {
    assertThat(api.handle("GET", "/health/live", p -> null).status()).isEqualTo(200);
    Reply ready = api.handle("GET", "/health/ready", p -> null);
    assertThat(ready.status()).isEqualTo(503);
    assertThat(ready.headers()).containsEntry("Retry-After", "1");
    assertThat(ready.bodyText()).contains("\"error\":\"starting\"");
    assertThat(api.handle("GET", "/streams/customers-1", p -> null).status()).isEqualTo(503);
  }

  @Test
  void shouldServeOnlyGet() {
    assertThat(api.handle("POST", "/streams/x", p -> null).status()).isEqualTo(405);
  }

  @Test
  void shouldRefuseMalformedNamesAndLimits() {
    assertThat(QueryApi.name("customers-1001", "stream name")).isEqualTo("customers-1001");
    assertThatThrownBy(() -> QueryApi.name("$all", "stream name"))
        .isInstanceOfSatisfying(QueryException.class, e -> assertThat(e.status()).isEqualTo(400));
    assertThatThrownBy(() -> QueryApi.name("", "stream name")).isInstanceOf(QueryException.class);
    assertThatThrownBy(() -> QueryApi.name("a\nb", "stream name"))
        .isInstanceOf(QueryException.class);
    assertThat(QueryApi.limit(null, 1000)).isEqualTo(QueryApi.DEFAULT_LIMIT);
    assertThat(QueryApi.limit("1000", 1000)).isEqualTo(1000);
    assertThatThrownBy(() -> QueryApi.limit("1001", 1000))
        .isInstanceOfSatisfying(
            QueryException.class, e -> assertThat(e.code()).isEqualTo("bad-limit"));
    assertThatThrownBy(() -> QueryApi.limit("-1", 1000)).isInstanceOf(QueryException.class);
  }

  @Test
  void shouldAdvertiseTheBoundPortAndServeJsonOverHttp() {
    CdcConfig config = config("127.0.0.1:0");
    Properties streams = new Properties();
    try (QueryServer server = QueryServer.open(config, streams).orElseThrow()) {
      assertThat(streams.getProperty("application.server")).isEqualTo(server.address());
      assertThat(server.address()).startsWith("127.0.0.1:").doesNotEndWith(":0");
      HttpGet live = HttpGet.get(server.address(), "/health/live");
      assertThat(live.status()).isEqualTo(200);
      assertThat(live.json().get("live").asBoolean()).isTrue();
      HttpGet starting = HttpGet.get(server.address(), "/pending");
      assertThat(starting.status()).isEqualTo(503);
      assertThat(starting.retryAfter()).contains("1");
    }
  }

  @Test
  void shouldServeNothingWhenTurnedOffAndRefuseAWildcardWithoutApplicationServer() {
    assertThat(QueryServer.open(config(""), new Properties())).isEmpty();
    assertThatThrownBy(() -> QueryServer.open(config("0.0.0.0:0"), new Properties()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("application.server");
  }

  private static CdcConfig config(String listen) {
    return Settings.of(Map.of("bootstrap.servers", "127.0.0.1:9092", "http.listen", listen)).cdc();
  }
}
