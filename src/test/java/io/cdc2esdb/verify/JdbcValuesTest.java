package io.cdc2esdb.verify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdc2esdb.envelope.Json;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class JdbcValuesTest {

  private static JsonNode json(String text) throws IOException {
    return Json.read(text.getBytes());
  }

  @Test
  void shouldCompareNumbersByValueAndDecimalsByTheirExactText() throws IOException {
    assertThat(JdbcValues.same(json("1001"), json("1001.0"))).isTrue();
    assertThat(JdbcValues.same(json("\"12.50\""), json("\"12.50\""))).isTrue();
    assertThat(JdbcValues.same(json("\"12.50\""), json("12.5"))).isTrue();
    assertThat(JdbcValues.same(json("\"12.50\""), json("\"12.51\""))).isFalse();
    assertThat(JdbcValues.same(json("18446744073709551615"), json("\"18446744073709551615\"")))
        .isTrue();
  }

  @Test
  void shouldTreatAColumnTheEventDoesNotCarryAsNull() throws IOException {
    ObjectNode db = (ObjectNode) json("{\"id\":1,\"phone\":null}");

    assertThat(JdbcValues.differences(db, json("{\"id\":1}"))).isNull();
    assertThat(
            JdbcValues.differences(
                (ObjectNode) json("{\"id\":1,\"phone\":\"1\"}"), json("{\"id\":1}")))
        .isEqualTo("phone: database \"1\", EventStoreDB (absent)");
  }

  @Test
  void shouldNameEveryColumnThatDiffers() throws IOException {
    ObjectNode db = (ObjectNode) json("{\"id\":1,\"name\":\"Sally\",\"flag\":true}");

    assertThat(JdbcValues.differences(db, json("{\"id\":1,\"name\":\"Sal\",\"flag\":0}")))
        .isEqualTo(
            "name: database \"Sally\", EventStoreDB \"Sal\", flag: database true, EventStoreDB 0");
    assertThat(JdbcValues.differences(db, json("{\"id\":1,\"name\":\"Sally\",\"flag\":1}")))
        .isNull();
  }

  @Test
  void shouldCompareTemporalValuesWrittenDifferently() throws IOException {
    assertThat(JdbcValues.same(json("\"2026-12-01T10:00\""), json("\"2026-12-01T10:00:00.000\"")))
        .isTrue();
    assertThat(
            JdbcValues.same(
                json("\"2026-12-01T10:00:00Z\""), json("\"2026-12-01T11:00:00+01:00\"")))
        .isTrue();
    assertThat(JdbcValues.same(json("\"10:00:00.5\""), json("\"10:00:00.500000\""))).isTrue();
    assertThat(JdbcValues.same(json("\"2026-12-01\""), json("\"2026-12-02\""))).isFalse();
    assertThat(JdbcValues.same(json("\"Sally\""), json("\"Sal\""))).isFalse();
  }
}
