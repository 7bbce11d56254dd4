package io.cdc2esdb.txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cdc2esdb.envelope.ChangeEvent;
import io.cdc2esdb.envelope.EnvelopeParser;
import io.cdc2esdb.envelope.Origin;
import io.cdc2esdb.envelope.ParsedRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedPunctuator;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The grouping processor and its wall-clock punctuator, driven directly. */
class GroupProcessorTest {

  private static final long MAX_WAIT = 1_000;
  private static final GroupSettings SETTINGS =
      new GroupSettings("pending", "transactions", MAX_WAIT, 100, 1_000, 100_000);

  private final Handoffs handoffs = new Handoffs();
  private MockProcessorContext<Object, ReleasedBatch> context;
  private KeyValueStore<Long, PendingEvent> pending;
  private KeyValueStore<String, TransactionInfo> transactions;
  private GroupProcessor processor;

  @BeforeEach
  void setUp() {
    context = new MockProcessorContext<>();
    context.setCurrentSystemTimeMs(0);
    pending =
        Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore("pending"), Serdes.Long(), PendingEventSerde.serde())
            .withLoggingDisabled()
            .build();
    transactions =
        Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore("transactions"),
                Serdes.String(),
                io.cdc2esdb.processing.JsonSerde.of(TransactionInfo.class))
            .withLoggingDisabled()
            .build();
    pending.init(context.getStateStoreContext(), pending);
    transactions.init(context.getStateStoreContext(), transactions);
    processor = new GroupProcessor(SETTINGS, handoffs);
    processor.init(context);
  }

  @Test
  void shouldScheduleAWallClockFlush() {
    assertThat(context.scheduledPunctuators()).hasSize(1);
    CapturedPunctuator punctuator = context.scheduledPunctuators().get(0);
    assertThat(punctuator.getInterval()).isEqualTo(Duration.ofMillis(100));
    assertThat(punctuator.getType())
        .isEqualTo(org.apache.kafka.streams.processor.PunctuationType.WALL_CLOCK_TIME);
  }

  @Test
  void shouldReleaseOnEndWithTheTransactionsEventCount() {
    processor.process(record("s-1", change(1, "0-1-5")));
    punctuate(0);
    assertThat(context.forwarded()).isEmpty();

    transactions.put("0-1-5", new TransactionInfo("0-1-5", "END", 7L, Map.of(), 0, 0));
    punctuate(10);

    ReleasedBatch batch = onlyBatch();
    assertThat(batch.events()).extracting(ReleasedEvent::eventCount).containsExactly(7L);
    // Released is not written: the append step removes it once EventStoreDB acknowledged it.
    assertThat(pending.approximateNumEntries()).isEqualTo(1);
  }

  @Test
  void shouldReleaseTheNextBatchOnlyOnceTheLastIsAcknowledged() {
    processor.process(record("s-1", change(1, null)));
    processor.process(record("s-2", change(2, null)));
    processor.process(record("s-3", change(3, null)));
    punctuate(10);
    assertThat(onlyBatch().events()).extracting(ReleasedEvent::stream).containsExactly("s-1");

    context.resetForwards();
    handoffs.forTask(context.taskId()).acknowledged();
    punctuate(20);

    // Everything that arrived meanwhile goes in one batch.
    assertThat(onlyBatch().events())
        .extracting(ReleasedEvent::stream)
        .containsExactly("s-2", "s-3");
  }

  @Test
  void shouldCutABatchOnlyBetweenTransactions() {
    GroupSettings small = new GroupSettings("pending", "transactions", MAX_WAIT, 100, 2, 100_000);
    processor = new GroupProcessor(small, handoffs);
    processor.init(context);
    handoffs.forTask(context.taskId()).handedOver(0);
    for (int i = 1; i <= 3; i++) {
      processor.process(record("s-" + i, change(i, "0-1-7")));
    }
    processor.process(record("s-4", change(4, "0-1-8")));
    processor.process(record("s-5", change(5, "0-1-8")));
    transactions.put("0-1-7", new TransactionInfo("0-1-7", "END", 3L, Map.of(), 0, 0));
    transactions.put("0-1-8", new TransactionInfo("0-1-8", "END", 2L, Map.of(), 0, 0));
    handoffs.forTask(context.taskId()).acknowledged();
    punctuate(10);

    // Three events of one transaction, over the bound of two, go whole; the next waits.
    assertThat(onlyBatch().events())
        .extracting(ReleasedEvent::stream)
        .containsExactly("s-1", "s-2", "s-3");
  }

  @Test
  void shouldReleaseWhenTheWaitBoundPassesOnTheWallClock() {
    processor.process(record("s-1", change(1, "0-1-5")));
    punctuate(MAX_WAIT - 1);
    assertThat(context.forwarded()).isEmpty();

    punctuate(MAX_WAIT);

    assertThat(onlyBatch().events()).extracting(ReleasedEvent::eventCount).containsNull();
  }

  @Test
  void shouldReleaseEventsWithoutTransactionAtOnceButOnlyUpToAWaitingOne() {
    processor.process(record("s-1", change(1, null)));
    processor.process(record("s-2", change(2, "0-1-6")));
    processor.process(record("s-3", change(3, null)));
    punctuate(0);

    assertThat(onlyBatch().events()).extracting(ReleasedEvent::stream).containsExactly("s-1");
  }

  @Test
  void shouldKeepEventsPendingWhenTheAppendFails() {
    processor.process(record("s-1", change(1, null)));
    processor = new GroupProcessor(SETTINGS, handoffs);
    processor.init(new FailingForward(context));

    assertThatThrownBy(() -> processor.flush(0)).hasMessage("append failed");
    assertThat(pending.approximateNumEntries()).isEqualTo(1);
  }

  @Test
  void shouldRecoverHeadAndSequenceFromARestoredBuffer() {
    processor.process(record("s-1", change(1, null)));
    processor.process(record("s-2", change(2, "0-1-9")));
    punctuate(0);
    context.resetForwards();
    // The append step acknowledged s-1 and removed it.
    pending.delete(0L);
    handoffs.forTask(context.taskId()).acknowledged();

    GroupProcessor restarted = new GroupProcessor(SETTINGS, handoffs);
    restarted.init(context);
    restarted.process(record("s-3", change(3, null)));
    transactions.put("0-1-9", new TransactionInfo("0-1-9", "END", 1L, Map.of(), 0, 0));
    restarted.flush(5);

    assertThat(onlyBatch().events())
        .extracting(ReleasedEvent::stream, ReleasedEvent::sequence)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("s-2", 1L),
            org.assertj.core.groups.Tuple.tuple("s-3", 2L));
  }

  @Test
  void shouldReleaseInOrderWhatDidNotFitTheWindowAndATransactionLongerThanIt() {
    // flush.max.events 2, pending.max.events 3: the window holds 4 events, the rest waits in the
    // store alone.
    GroupSettings small = new GroupSettings("pending", "transactions", MAX_WAIT, 100, 2, 3);
    processor = new GroupProcessor(small, handoffs);
    processor.init(context);
    Handoff handoff = handoffs.forTask(context.taskId());
    handoff.handedOver(0);
    for (int i = 1; i <= 6; i++) {
      processor.process(record("s-" + i, change(i, "0-1-7")));
    }
    for (int i = 7; i <= 12; i++) {
      processor.process(record("s-" + i, change(i, null)));
    }
    transactions.put("0-1-7", new TransactionInfo("0-1-7", "END", 6L, Map.of(), 0, 0));
    handoff.acknowledged();

    List<Long> released = new java.util.ArrayList<>();
    for (int round = 0; round < 10 && released.size() < 12; round++) {
      punctuate(10 + round);
      for (MockProcessorContext.CapturedForward<?, ?> forward : context.forwarded()) {
        for (ReleasedEvent event : ((ReleasedBatch) forward.record().value()).events()) {
          released.add(event.sequence());
        }
      }
      context.resetForwards();
      handoff.acknowledged();
    }

    assertThat(released).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L);
  }

  @Test
  void shouldHoldLargeRecordsInTheStoreBeyondTheWindowsByteBound() {
    Handoff handoff = handoffs.forTask(context.taskId());
    handoff.handedOver(0);
    long large = GroupProcessor.MAX_WINDOW_BYTES / 2 + 1;
    for (int i = 1; i <= 5; i++) {
      ChangeEvent event = change(i, null);
      Origin o = event.origin();
      processor.process(
          record(
              "s-" + i,
              event.withOrigin(
                  new Origin(
                      o.topic(), o.partition(), o.offset(), o.timestamp(), List.of(), large))));
    }
    handoff.acknowledged();
    punctuate(10);

    // Only one such record fits the window at a time; all five still go, in order, at once.
    assertThat(onlyBatch().events())
        .extracting(ReleasedEvent::sequence)
        .containsExactly(0L, 1L, 2L, 3L, 4L);
    assertThat(PendingEventSerde.read(PendingEventSerde.write(pending.get(4L))).event().origin())
        .extracting(Origin::valueBytes)
        .isEqualTo(large);
  }

  @Test
  void shouldRoundTripAPendingEventThroughTheBinaryFrameAndReadTheJsonFormat() {
    ChangeEvent event =
        change(7, "0-1-7")
            .withOrigin(
                new Origin(
                    "db.inv.t",
                    2,
                    41,
                    99,
                    List.of(
                        new io.cdc2esdb.envelope.RecordHeader("h", new byte[] {1, 2}),
                        new io.cdc2esdb.envelope.RecordHeader("n", null))));
    PendingEvent original = new PendingEvent("t-7", event, 1234);

    byte[] bytes = PendingEventSerde.write(original);
    PendingEvent read = PendingEventSerde.read(bytes);

    assertThat(bytes[0]).isEqualTo(PendingEventSerde.FRAME);
    assertThat(read.stream()).isEqualTo("t-7");
    assertThat(read.bufferedAtMs()).isEqualTo(1234);
    assertThat(read.event().payload()).isEqualTo(event.payload());
    assertThat(read.event().key()).isEqualTo(event.key());
    assertThat(read.event().source()).isEqualTo(event.source());
    assertThat(read.event().origin().offset()).isEqualTo(41);
    assertThat(read.event().origin().headers())
        .extracting(io.cdc2esdb.envelope.RecordHeader::key)
        .containsExactly("h", "n");
    assertThat(read.event().origin().headers().get(0).value()).containsExactly(1, 2);
    assertThat(read.event().origin().headers().get(1).value()).isNull();

    String legacy =
        "{\"stream\":\"t-7\",\"bufferedAtMs\":1234,\"key\":{\"id\":7},\"payload\":"
            + event.payload()
            + ",\"origin\":{\"topic\":\"db.inv.t\",\"partition\":2,\"offset\":41,"
            + "\"timestamp\":99,\"headers\":[{\"key\":\"h\",\"value\":\"AQI=\"}]}}";
    PendingEvent old = PendingEventSerde.read(legacy.getBytes(StandardCharsets.UTF_8));
    assertThat(old.stream()).isEqualTo("t-7");
    assertThat(old.event().payload()).isEqualTo(event.payload());
    assertThat(old.event().origin().headers().get(0).value()).containsExactly(1, 2);

    assertThatThrownBy(() -> PendingEventSerde.read(new byte[] {9, 0}))
        .isInstanceOf(org.apache.kafka.common.errors.SerializationException.class);
  }

  private void punctuate(long atMs) {
    context.setCurrentSystemTimeMs(atMs);
    List<CapturedPunctuator> punctuators = context.scheduledPunctuators();
    punctuators.get(punctuators.size() - 1).getPunctuator().punctuate(atMs);
  }

  private ReleasedBatch onlyBatch() {
    List<MockProcessorContext.CapturedForward<?, ?>> forwarded = List.copyOf(context.forwarded());
    assertThat(forwarded).hasSize(1);
    return (ReleasedBatch) forwarded.get(0).record().value();
  }

  private static Record<String, ChangeEvent> record(String stream, ChangeEvent event) {
    return new Record<>(stream, event, 0);
  }

  static ChangeEvent change(int id, String gtid) {
    String txn =
        gtid == null
            ? "null"
            : "{\"id\":\"" + gtid + "\",\"total_order\":1,\"data_collection_order\":1}";
    String value =
        "{\"before\":null,\"after\":{\"id\":"
            + id
            + "},\"op\":\"c\",\"transaction\":"
            + txn
            + ",\"source\":{\"name\":\"db\",\"db\":\"inv\",\"table\":\"t\","
            + "\"file\":\"bin.000001\",\"pos\":"
            + (100 + id)
            + ",\"row\":0,\"snapshot\":\"false\"}}";
    ParsedRecord parsed =
        new EnvelopeParser()
            .parse(
                new Origin("db.inv.t", 0, id, 0),
                ("{\"id\":" + id + "}").getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8));
    return ((ParsedRecord.Change) parsed).event();
  }

  /** A context whose forward fails, as when the append processor throws. */
  private static final class FailingForward extends MockProcessorContext<Object, ReleasedBatch> {
    private final MockProcessorContext<Object, ReleasedBatch> stores;

    FailingForward(MockProcessorContext<Object, ReleasedBatch> stores) {
      this.stores = stores;
      setCurrentSystemTimeMs(0);
    }

    @Override
    public <S extends org.apache.kafka.streams.processor.StateStore> S getStateStore(String name) {
      return stores.getStateStore(name);
    }

    @Override
    public <K extends Object, V extends ReleasedBatch> void forward(Record<K, V> record) {
      throw new IllegalStateException("append failed");
    }
  }
}
