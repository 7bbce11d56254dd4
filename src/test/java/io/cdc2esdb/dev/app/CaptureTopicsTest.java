package io.cdc2esdb.dev.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class CaptureTopicsTest {

  @Test
  void shouldTakeThePrefixOfTheTransactionTopicAndReadEveryTableTopic() {
    CaptureTopics topics =
        CaptureTopics.of(
            List.of(
                "dbserver1",
                "dbserver1.transaction",
                "dbserver1.inventory.orders",
                "dbserver1.inventory.customers"));

    assertThat(topics.prefix()).isEqualTo("dbserver1");
    assertThat(topics.transactionTopic()).isEqualTo("dbserver1.transaction");
    assertThat(topics.dataTopics())
        .containsExactly("dbserver1.inventory.customers", "dbserver1.inventory.orders");
  }

  @Test
  void shouldFindTheDottedPrefixOfTableTopicsWithoutATransactionTopic() {
    CaptureTopics topics = CaptureTopics.of(List.of("eu.shop.inventory.customers", "eu.shop"));

    assertThat(topics.prefix()).isEqualTo("eu.shop");
    assertThat(topics.dataTopics()).containsExactly("eu.shop.inventory.customers");
  }

  @Test
  void shouldTreatATableNamedTransactionAsData() {
    CaptureTopics topics =
        CaptureTopics.of(List.of("db1.transaction", "db1.shop.transaction", "db1.shop.customers"));

    assertThat(topics.prefix()).isEqualTo("db1");
    assertThat(topics.dataTopics()).containsExactly("db1.shop.customers", "db1.shop.transaction");
  }

  @Test
  void shouldHaveNoDataTopicsWhenOnlySchemaChangesWereCaptured() {
    CaptureTopics topics = CaptureTopics.of(List.of("embedded1", "dbserver1"));

    assertThat(topics.prefix()).isEqualTo("dbserver1");
    assertThat(topics.dataTopics()).isEmpty();
    Pattern pattern = Pattern.compile(topics.settings().get("data.topics.pattern"));
    assertThat(pattern.matcher("dbserver1").matches()).isFalse();
    assertThat(pattern.matcher("").matches()).isFalse();
  }

  @Test
  void shouldConfigureAPatternThatMatchesExactlyTheDataTopics() {
    CaptureTopics topics =
        CaptureTopics.of(List.of("a.b.c", "a.b.c2", "a.transaction", "a", "a.b.c.d"));
    Pattern pattern = Pattern.compile(topics.settings().get("data.topics.pattern"));

    assertThat(topics.settings()).containsEntry("topic.prefix", "a");
    assertThat(List.of("a.b.c", "a.b.c2", "a.b.c.d")).allMatch(t -> pattern.matcher(t).matches());
    assertThat(List.of("a", "a.transaction", "a.bxc", "a.b.c3"))
        .noneMatch(t -> pattern.matcher(t).matches());
  }

  @Test
  void shouldRefuseTransactionTopicsOfTwoPrefixes() {
    assertThatThrownBy(() -> CaptureTopics.of(List.of("a.transaction", "b.transaction")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a.transaction and b.transaction");
  }
}
