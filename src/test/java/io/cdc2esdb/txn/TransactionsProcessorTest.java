package io.cdc2esdb.txn;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdc2esdb.processing.JsonSerde;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TransactionsProcessorTest {

  private static final long HOUR = 3_600_000;

  private KeyValueStore<String, TransactionInfo> store;
  private TransactionsProcessor processor;

  @BeforeEach
  void setUp() {
    MockProcessorContext<Void, Void> context = new MockProcessorContext<>();
    store =
        Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore("transactions"),
                Serdes.String(),
                JsonSerde.of(TransactionInfo.class))
            .withLoggingDisabled()
            .build();
    store.init(context.getStateStoreContext(), store);
    processor = new TransactionsProcessor("transactions", 24 * HOUR);
    processor.init(context);
  }

  @Test
  void shouldKeepBeginThenEndWithItsCounts() {
    marker("0-1-5", "BEGIN", null, 1_000);
    assertThat(store.get("0-1-5").ended()).isFalse();

    marker("0-1-5", "END", 3, 2_000);

    TransactionInfo info = store.get("0-1-5");
    assertThat(info.ended()).isTrue();
    assertThat(info.eventCount()).isEqualTo(3);
    assertThat(info.dataCollections()).containsEntry("inventory.customers", 3L);
    assertThat(info.beginTsMs()).isEqualTo(1_000);
  }

  @Test
  void shouldNotReopenAnEndedTransactionOnARepeatedBegin() {
    marker("0-1-5", "BEGIN", null, 1_000);
    marker("0-1-5", "END", 3, 2_000);
    marker("0-1-5", "BEGIN", null, 3_000);
    assertThat(store.get("0-1-5").ended()).isTrue();
  }

  @Test
  void shouldPruneTransactionsOlderThanTheRetention() {
    marker("0-1-1", "END", 1, HOUR);
    marker("0-1-2", "END", 1, 20 * HOUR);
    marker("0-1-3", "END", 1, 26 * HOUR);

    assertThat(store.get("0-1-1")).isNull();
    assertThat(store.get("0-1-2")).isNotNull();
    assertThat(store.get("0-1-3")).isNotNull();
  }

  @Test
  void shouldSkipAnUnreadableRecord() {
    processor.process(new Record<>(null, "{oops".getBytes(StandardCharsets.UTF_8), 0));
    assertThat(store.approximateNumEntries()).isZero();
  }

  private void marker(String id, String status, Integer count, long ts) {
    String value =
        "{\"status\":\""
            + status
            + "\",\"id\":\""
            + id
            + "\",\"event_count\":"
            + count
            + ",\"data_collections\":"
            + (count == null
                ? "null"
                : "[{\"data_collection\":\"inventory.customers\",\"event_count\":" + count + "}]")
            + ",\"ts_ms\":"
            + ts
            + "}";
    processor.process(new Record<>(null, value.getBytes(StandardCharsets.UTF_8), ts));
  }
}
