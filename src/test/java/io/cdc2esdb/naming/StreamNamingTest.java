package io.cdc2esdb.naming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdc2esdb.envelope.Json;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StreamNamingTest {

  private final StreamNaming naming = new StreamNaming(StreamNaming.DEFAULT_FORMAT);

  @Test
  void shouldNameARowByTableAndKey() {
    assertThat(naming.streamName("inventory", "customers", key(1001))).isEqualTo("customers-1001");
  }

  @Test
  void shouldJoinCompositeKeysInKeyOrder() {
    ObjectNode key = Json.object().put("order_id", 10001).put("line", 2);
    assertThat(naming.streamName("inv", "order_lines", key)).isEqualTo("order_lines-10001.2");
  }

  @Test
  void shouldNeverGiveTwoKeysOneStreamOverAwkwardKeys() {
    List<String> awkward =
        List.of(
            "a-b",
            "a",
            "b",
            "a.b",
            "x/y",
            "$all",
            "$$x",
            "é 1",
            "",
            "%2E",
            "%",
            ".",
            "-",
            "$",
            "a%2Eb",
            "1001",
            "x".repeat(5_000),
            "a.b.c",
            "a\\b");
    List<Object[]> inputs = new ArrayList<>();
    for (String table : List.of("customers", "cust-omers", "cust.omers", "$x", "a-b")) {
      for (String k1 : awkward) {
        inputs.add(new Object[] {table, List.of(k1)});
        for (String k2 : List.of("", ".", "a-b", "x.y")) {
          inputs.add(new Object[] {table, List.of(k1, k2)});
        }
      }
    }
    Map<String, String> seen = new HashMap<>();
    for (Object[] input : inputs) {
      @SuppressWarnings("unchecked")
      List<String> parts = (List<String>) input[1];
      ObjectNode key = Json.object();
      for (int i = 0; i < parts.size(); i++) {
        key.put("c" + i, parts.get(i));
      }
      String name = naming.streamName("db", (String) input[0], key);
      String identity = input[0] + "|" + parts;
      String previous = seen.put(name, identity);
      assertThat(previous).as("stream %s named twice", name).isIn(null, identity);
      assertThat(name).doesNotStartWith("$");
    }
    assertThat(seen).hasSize(inputs.size());
  }

  @Test
  void shouldKeepTheTableAsTheCategoryBeforeTheFirstDash() {
    String name = naming.streamName("db", "order-lines", Json.object().put("id", "a-b"));
    assertThat(name.substring(0, name.indexOf('-'))).isEqualTo("order%2Dlines");
  }

  @Test
  void shouldSupportTheDatabaseInTheFormat() {
    StreamNaming withDb = new StreamNaming("{db}.{table}-{key}");
    assertThat(withDb.streamName("inventory", "customers", key(7)))
        .isEqualTo("inventory.customers-7");
    assertThat(withDb.tableStreamName("inventory", "customers")).isEqualTo("inventory.customers");
  }

  @Test
  void shouldNameATablesOwnStreamWithoutAKey() {
    assertThat(naming.tableStreamName("inventory", "customers")).isEqualTo("customers");
  }

  @Test
  void shouldRejectFormatsThatCouldCollideOrNameSystemStreams() {
    assertThatThrownBy(() -> new StreamNaming("{key}-{table}")).hasMessageContaining("{key}");
    assertThatThrownBy(() -> new StreamNaming("x-{key}")).hasMessageContaining("{table}");
    assertThatThrownBy(() -> new StreamNaming("$ce-{table}-{key}")).hasMessageContaining("'$'");
    assertThatThrownBy(() -> new StreamNaming("{schema}.{table}-{key}"))
        .hasMessageContaining("{schema}");
  }

  private static ObjectNode key(int id) {
    return Json.object().put("id", id);
  }
}
