package io.cdc2esdb.topology;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdc2esdb.dev.CaptureRecord;
import io.cdc2esdb.sink.InMemoryEventStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Transaction grouping: what waits for END, and what never waits. */
class GroupingTopologyTest {

  private static final List<CaptureRecord> TXN =
      TopologyFixture.capture("10_one_full_transaction_0-1-12.json");

  @TempDir Path tmp;
  private InMemoryEventStore store;
  private TopologyFixture fixture;

  @BeforeEach
  void start() {
    store = new InMemoryEventStore();
    fixture = new TopologyFixture(tmp, store, Map.of("transaction.max.wait.ms", "5000"));
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  @Test
  void shouldHoldATransactionsEventsUntilItsEndArrives() {
    fixture.pipe(withoutEnd());
    fixture.flush();
    fixture.advance(Duration.ofSeconds(2));
    assertThat(store.totalEvents()).isZero();

    fixture.pipe(List.of(end()));
    fixture.flush();

    assertThat(store.totalEvents()).isEqualTo(6);
    assertThat(fixture.types("customers-1009")).containsExactly("Insert", "Update");
  }

  @Test
  void shouldReleaseAWaitingTransactionWhenTheWaitBoundPasses() {
    fixture.pipe(withoutEnd());
    fixture.advance(Duration.ofMillis(4_900));
    assertThat(store.totalEvents()).isZero();

    fixture.advance(Duration.ofMillis(200));

    assertThat(store.totalEvents()).isEqualTo(6);
    assertThat(fixture.metadata("customers-1010").get(0).at("/transaction/eventCount").isNull())
        .isTrue();
  }

  @Test
  void shouldNeverHoldSnapshotRows() {
    fixture.pipe(snapshotRows());
    fixture.flush();

    assertThat(store.totalEvents()).isEqualTo(4);
    assertThat(store.streamNames())
        .containsExactly("customers-1001", "customers-1002", "customers-1003", "customers-1004");
  }

  @Test
  void shouldNeverHoldChangesOfConnectorsWithoutTransactionMetadata() {
    String value =
        "{\"before\":null,\"after\":{\"id\":7},\"op\":\"c\",\"transaction\":null,"
            + "\"source\":{\"connector\":\"mysql\",\"name\":\"dbserver1\",\"db\":\"inventory\","
            + "\"table\":\"orders\",\"file\":\"binlog.000003\",\"pos\":900,\"row\":0,"
            + "\"gtid\":\"3e11fa47-71ca-11e1-9e33-c80aa9429562:23\",\"snapshot\":\"false\"}}";
    fixture.pipe("dbserver1.inventory.orders", "{\"id\":7}", value);
    fixture.flush();

    assertThat(store.events("orders-7")).hasSize(1);
    assertThat(fixture.metadata("orders-7").get(0).get("$correlationId").asText())
        .isEqualTo("3e11fa47-71ca-11e1-9e33-c80aa9429562:23");
  }

  @Test
  void shouldKeepLaterTransactionsBehindAWaitingHead() {
    fixture.pipe(withoutEnd());
    fixture.pipe(snapshotRows());
    fixture.flush();

    // The snapshot rows arrived after the open transaction: commit order holds them back.
    assertThat(store.totalEvents()).isZero();
  }

  private static List<CaptureRecord> snapshotRows() {
    return ReplayTopologyTest.dataRecords().subList(0, 4);
  }

  private static List<CaptureRecord> withoutEnd() {
    return TXN.subList(0, TXN.size() - 1);
  }

  private static CaptureRecord end() {
    return TXN.get(TXN.size() - 1);
  }
}
