package io.cdc2esdb.dev.emulator;

import static io.cdc2esdb.dev.emulator.EmulatorFixture.event;
import static io.cdc2esdb.dev.emulator.EmulatorFixture.eventWithMetadata;
import static org.assertj.core.api.Assertions.assertThat;

import com.eventstore.dbclient.ExpectedRevision;
import com.eventstore.dbclient.ReadStreamOptions;
import com.eventstore.dbclient.ResolvedEvent;
import com.eventstore.dbclient.StreamNotFoundException;
import com.eventstore.dbclient.SubscribeToStreamOptions;
import com.eventstore.dbclient.Subscription;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The system projections {@code $by_category} and {@code $by_correlation_id}. */
class ProjectionsConformanceTest {

  private static EmulatorFixture fx;

  @BeforeAll
  static void start() {
    fx = new EmulatorFixture();
  }

  @AfterAll
  static void stop() {
    fx.close();
  }

  @Test
  void shouldLinkEveryEventOfACategoryIntoItsCategoryStream() throws Exception {
    String category = "orders" + Long.toHexString(System.nanoTime());
    fx.append(category + "-1", ExpectedRevision.noStream(), event("Placed"));
    fx.append(category + "-2", ExpectedRevision.noStream(), event("Placed"), event("Paid"));

    List<ResolvedEvent> resolved = readResolved("$ce-" + category);

    assertThat(resolved)
        .extracting(e -> e.getEvent().getStreamId() + "/" + e.getEvent().getRevision())
        .containsExactly(category + "-1/0", category + "-2/0", category + "-2/1");
    assertThat(resolved.get(2).getEvent().getEventType()).isEqualTo("Paid");
    assertThat(resolved.get(2).getLink().getEventType()).isEqualTo("$>");
    assertThat(resolved.get(2).getLink().getStreamId()).isEqualTo("$ce-" + category);
    assertThat(resolved.get(2).getLink().getRevision()).isEqualTo(2);
    assertThat(new String(resolved.get(2).getLink().getEventData(), StandardCharsets.UTF_8))
        .isEqualTo("1@" + category + "-2");
  }

  @Test
  void shouldReturnTheLinkRecordsThemselvesWithoutLinkResolution() throws Exception {
    String category = "users" + Long.toHexString(System.nanoTime());
    fx.append(category + "-7", ExpectedRevision.noStream(), event("Registered"));
    List<ResolvedEvent> raw =
        fx.client
            .readStream("$ce-" + category, ReadStreamOptions.get().notResolveLinkTos())
            .get()
            .getEvents();
    assertThat(raw).hasSize(1);
    assertThat(raw.get(0).getEvent().getEventType()).isEqualTo("$>");
    assertThat(new String(raw.get(0).getEvent().getEventData(), StandardCharsets.UTF_8))
        .isEqualTo("0@" + category + "-7");
    assertThat(raw.get(0).getLink()).isNull();
  }

  @Test
  void shouldCategoriseByThePrefixBeforeTheFirstDash() throws Exception {
    String category = "lines" + Long.toHexString(System.nanoTime());
    fx.append(category + "-10-2", ExpectedRevision.noStream(), event("Added"));
    assertThat(readResolved("$ce-" + category)).hasSize(1);
  }

  @Test
  void shouldNotCategoriseStreamsWithoutADash() throws Exception {
    String s = "nodash" + Long.toHexString(System.nanoTime());
    fx.append(s, ExpectedRevision.noStream(), event("A"));
    assertThat(EmulatorFixture.failure(fx.client.readStream("$ce-" + s, ReadStreamOptions.get())))
        .isInstanceOf(StreamNotFoundException.class);
  }

  @Test
  void shouldLinkEventsByTheirCorrelationIdAcrossStreams() throws Exception {
    String gtid = "0-1-" + System.nanoTime();
    String meta = "{\"$correlationId\":\"" + gtid + "\"}";
    fx.append("customers-1", ExpectedRevision.any(), eventWithMetadata("Updated", meta));
    fx.append("orders-9", ExpectedRevision.any(), eventWithMetadata("Inserted", meta));
    fx.append("orders-9", ExpectedRevision.any(), event("NoCorrelation"));

    List<ResolvedEvent> resolved = readResolved("$bc-" + gtid);

    assertThat(resolved)
        .extracting(e -> e.getEvent().getStreamId() + ":" + e.getEvent().getEventType())
        .containsExactly("customers-1:Updated", "orders-9:Inserted");
  }

  @Test
  void shouldSkipMetadataThatIsNotJsonOrHasNoStringCorrelationId() throws Exception {
    String id = "x" + System.nanoTime();
    fx.append("misc-1", ExpectedRevision.any(), eventWithMetadata("A", "{\"$correlationId\":42}"));
    fx.append("misc-1", ExpectedRevision.any(), eventWithMetadata("B", "not json " + id));
    assertThat(EmulatorFixture.failure(fx.client.readStream("$bc-42", ReadStreamOptions.get())))
        .isInstanceOf(StreamNotFoundException.class);
  }

  @Test
  void shouldResolveLinksInASubscriptionToACategoryStream() throws Exception {
    String category = "carts" + Long.toHexString(System.nanoTime());
    RecordingListener listener = new RecordingListener();
    Subscription subscription =
        fx.client
            .subscribeToStream(
                "$ce-" + category,
                listener,
                SubscribeToStreamOptions.get().fromStart().resolveLinkTos())
            .get();
    try {
      assertThat(listener.next(2)).containsExactly("confirmed", "caught-up");
      fx.append(category + "-3", ExpectedRevision.noStream(), event("Opened"));
      ResolvedEvent live = listener.events.poll(10, java.util.concurrent.TimeUnit.SECONDS);
      assertThat(live).isNotNull();
      assertThat(live.getEvent().getStreamId()).isEqualTo(category + "-3");
      assertThat(live.getLink().getStreamId()).isEqualTo("$ce-" + category);
    } finally {
      subscription.stop();
    }
  }

  private static List<ResolvedEvent> readResolved(String stream) throws Exception {
    return fx.client
        .readStream(stream, ReadStreamOptions.get().fromStart().resolveLinkTos())
        .get()
        .getEvents();
  }
}
