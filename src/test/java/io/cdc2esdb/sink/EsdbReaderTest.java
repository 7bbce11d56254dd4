package io.cdc2esdb.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdc2esdb.dev.emulator.EmulatorOptions;
import io.cdc2esdb.dev.emulator.EventStoreEmulator;
import io.cdc2esdb.event.ProposedEvent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Reading back through the real client, against the emulator with its system projections. */
class EsdbReaderTest {

  private static EventStoreEmulator emulator;
  private static EsdbWriter writer;
  private static EsdbReader reader;

  @BeforeAll
  static void start() {
    emulator = EventStoreEmulator.start(EmulatorOptions.ephemeral());
    writer = EsdbWriter.connect(emulator.connectionString(), 10_000, 1_048_576);
    reader = EsdbReader.connect(emulator.connectionString(), 10_000);
    append("customers-1", -1, event("Insert", "{\"id\":1}", "tx-a"));
    append("orders-7", -1, event("Insert", "{\"n\":7}", "tx-a"), event("Update", "{}", "tx-b"));
    append("customers-2", -1, event("Insert", "{\"id\":2}", "tx-b"));
  }

  @AfterAll
  static void stop() {
    reader.close();
    writer.close();
    emulator.close();
  }

  @Test
  void shouldListNonSystemStreamsInTheOrderOfTheirFirstEvent() {
    assertThat(reader.streams()).containsExactly("customers-1", "orders-7", "customers-2");
  }

  @Test
  void shouldReadAStreamsEventsWithDataAndMetadataInRevisionOrder() {
    List<ReadEvent> events = reader.read("orders-7");

    assertThat(events).extracting(ReadEvent::revision).containsExactly(0L, 1L);
    assertThat(events).extracting(ReadEvent::type).containsExactly("Insert", "Update");
    assertThat(text(events.get(0).data())).isEqualTo("{\"n\":7}");
    assertThat(text(events.get(1).metadata())).contains("\"$correlationId\":\"tx-b\"");
  }

  @Test
  void shouldResolveCategoryLinksToTheLinkedEvents() {
    List<ReadEvent> events = reader.read("$ce-customers");

    assertThat(events)
        .extracting(e -> e.stream() + "@" + e.revision())
        .containsExactly("customers-1@0", "customers-2@0");
    assertThat(text(events.get(1).data())).isEqualTo("{\"id\":2}");
  }

  @Test
  void shouldResolveCorrelationLinksToTheTransactionsEvents() {
    assertThat(reader.read("$bc-tx-b"))
        .extracting(e -> e.stream() + "@" + e.revision() + " " + e.type())
        .containsExactly("orders-7@1 Update", "customers-2@0 Insert");
  }

  @Test
  void shouldReadAMissingStreamAsEmpty() {
    assertThat(reader.read("nobody-here")).isEmpty();
  }

  private static void append(String stream, long expected, ProposedEvent... events) {
    AppendResult result =
        writer.append(new AppendRequest(stream, expected, List.of(events))).join();
    assertThat(result).isInstanceOf(AppendResult.Success.class);
  }

  private static ProposedEvent event(String type, String data, String correlationId) {
    return new ProposedEvent(
        UUID.randomUUID(),
        type,
        data.getBytes(StandardCharsets.UTF_8),
        ("{\"$correlationId\":\"" + correlationId + "\"}").getBytes(StandardCharsets.UTF_8));
  }

  private static String text(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
