package io.cdc2esdb.dev.emulator;

import static io.cdc2esdb.dev.emulator.EmulatorFixture.event;
import static io.cdc2esdb.dev.emulator.EmulatorFixture.stream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.eventstore.dbclient.EventDataBuilder;
import com.eventstore.dbclient.ExpectedRevision;
import com.eventstore.dbclient.Position;
import com.eventstore.dbclient.ReadAllOptions;
import com.eventstore.dbclient.ReadResult;
import com.eventstore.dbclient.ReadStreamOptions;
import com.eventstore.dbclient.RecordedEvent;
import com.eventstore.dbclient.ResolvedEvent;
import com.eventstore.dbclient.StreamNotFoundException;
import com.eventstore.dbclient.WriteResult;
import com.eventstore.dbclient.proto.streams.StreamsOuterClass.ReadResp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Reads of streams and of {@code $all}, forwards and backwards, through the real client. */
class ReadConformanceTest {

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
  void shouldAnswerAMissingStreamWithStreamNotFound() {
    Throwable error =
        EmulatorFixture.failure(fx.client.readStream(stream("read"), ReadStreamOptions.get()));
    assertThat(error).isInstanceOf(StreamNotFoundException.class);
  }

  @Test
  void shouldSendStreamNotFoundAsAMessageAndEndTheCallNormally() {
    List<ReadResp> messages = fx.rawRead(stream("read"));
    assertThat(messages).hasSize(1);
    assertThat(messages.get(0).hasStreamNotFound()).isTrue();
  }

  @Test
  void shouldEndAStreamReadWithTheStreamsLastRevision() throws Exception {
    String s = stream("read");
    fx.append(s, ExpectedRevision.noStream(), event("A"), event("B"), event("C"));
    List<ReadResp> messages = fx.rawRead(s);
    assertThat(messages).hasSize(4);
    assertThat(messages.get(3).getLastStreamPosition()).isEqualTo(2);
    ReadResult limited =
        fx.client.readStream(s, ReadStreamOptions.get().fromStart().maxCount(1)).get();
    assertThat(limited.getLastStreamPosition()).isEqualTo(2);
  }

  @Test
  void shouldReadForwardsFromARevisionUpToMaxCount() throws Exception {
    String s = stream("read");
    fx.append(s, ExpectedRevision.noStream(), event("A"), event("B"), event("C"), event("D"));
    ReadResult result =
        fx.client.readStream(s, ReadStreamOptions.get().fromRevision(1).maxCount(2)).get();
    assertThat(revisions(result)).containsExactly(1L, 2L);
  }

  @Test
  void shouldReadBackwardsFromTheEndUpToMaxCount() throws Exception {
    String s = stream("read");
    fx.append(s, ExpectedRevision.noStream(), event("A"), event("B"), event("C"), event("D"));
    ReadResult result =
        fx.client.readStream(s, ReadStreamOptions.get().backwards().fromEnd().maxCount(3)).get();
    assertThat(revisions(result)).containsExactly(3L, 2L, 1L);
  }

  @Test
  void shouldReadBackwardsFromARevision() throws Exception {
    String s = stream("read");
    fx.append(s, ExpectedRevision.noStream(), event("A"), event("B"), event("C"));
    ReadResult result =
        fx.client.readStream(s, ReadStreamOptions.get().backwards().fromRevision(1)).get();
    assertThat(revisions(result)).containsExactly(1L, 0L);
  }

  @Test
  void shouldReadALongStreamAcrossPages() throws Exception {
    String s = stream("read");
    for (int batch = 0; batch < 3; batch++) {
      var events = new com.eventstore.dbclient.EventData[250];
      for (int i = 0; i < events.length; i++) {
        events[i] = event("E");
      }
      fx.append(
          s,
          batch == 0
              ? ExpectedRevision.noStream()
              : ExpectedRevision.expectedRevision(batch * 250L - 1),
          events);
    }
    ReadResult forwards = fx.client.readStream(s, ReadStreamOptions.get().fromStart()).get();
    assertThat(revisions(forwards)).hasSize(750).isSorted();
    ReadResult backwards =
        fx.client.readStream(s, ReadStreamOptions.get().backwards().fromEnd()).get();
    assertThat(revisions(backwards)).hasSize(750).first().isEqualTo(749L);
  }

  @Test
  void shouldStampEveryEventWithItsCreationTime() throws Exception {
    String s = stream("read");
    Instant before = Instant.now();
    fx.append(s, ExpectedRevision.noStream(), event("A"));
    RecordedEvent read = fx.read(s).get(0);
    assertThat(read.getCreated()).isBetween(before.minusSeconds(1), Instant.now().plusSeconds(1));
    assertThat(Duration.between(before, read.getCreated()).toMillis()).isCloseTo(0, within(2000L));
  }

  @Test
  void shouldTellJsonFromBinaryEvents() throws Exception {
    String s = stream("read");
    fx.append(
        s,
        ExpectedRevision.noStream(),
        EventDataBuilder.binary(UUID.randomUUID(), "Bin", new byte[] {1, 2, 3}).build());
    RecordedEvent read = fx.read(s).get(0);
    assertThat(read.getContentType()).isEqualTo("application/octet-stream");
    assertThat(read.getEventData()).containsExactly(1, 2, 3);
  }

  @Test
  void shouldReadAllForwardsInWriteOrderWithIncreasingNonContiguousPositions() throws Exception {
    String s = stream("read");
    WriteResult written =
        fx.append(s, ExpectedRevision.noStream(), event("A"), event("B"), event("C"));
    List<ResolvedEvent> all = fx.readAll();
    List<RecordedEvent> ours =
        all.stream()
            .map(ResolvedEvent::getOriginalEvent)
            .filter(e -> e.getStreamId().equals(s))
            .toList();
    assertThat(ours).extracting(RecordedEvent::getRevision).containsExactly(0L, 1L, 2L);
    for (int i = 1; i < all.size(); i++) {
      long previous = all.get(i - 1).getOriginalEvent().getPosition().getCommitUnsigned();
      long current = all.get(i).getOriginalEvent().getPosition().getCommitUnsigned();
      assertThat(current).isGreaterThan(previous + 1);
    }
    assertThat(ours.get(2).getPosition()).isEqualTo(written.getLogPosition());
    assertThat(ours.get(2).getPosition().getPrepareUnsigned())
        .isEqualTo(ours.get(2).getPosition().getCommitUnsigned());
  }

  @Test
  void shouldIncludeTheEventAtTheGivenPositionWhenReadingAllForwards() throws Exception {
    String s = stream("read");
    fx.append(s, ExpectedRevision.noStream(), event("A"), event("B"));
    Position second = fx.read(s).get(1).getPosition();
    ReadResult result =
        fx.client.readAll(ReadAllOptions.get().fromPosition(second).maxCount(1)).get();
    assertThat(result.getEvents().get(0).getOriginalEvent().getStreamId()).isEqualTo(s);
    assertThat(result.getEvents().get(0).getOriginalEvent().getRevision()).isEqualTo(1);
  }

  @Test
  void shouldReadAllBackwardsFromTheEnd() throws Exception {
    String s = stream("read");
    fx.append(s, ExpectedRevision.noStream(), event("A"), event("B"));
    ReadResult result =
        fx.client.readAll(ReadAllOptions.get().backwards().fromEnd().maxCount(10)).get();
    assertThat(result.getEvents())
        .filteredOn(e -> e.getOriginalEvent().getStreamId().equals(s))
        .extracting(
            e -> e.getOriginalEvent().getStreamId() + "/" + e.getOriginalEvent().getRevision())
        .containsExactly(s + "/1", s + "/0");
  }

  @Test
  void shouldReadAllBackwardsStrictlyBeforeAPosition() throws Exception {
    String s = stream("read");
    fx.append(s, ExpectedRevision.noStream(), event("A"), event("B"));
    Position second = fx.read(s).get(1).getPosition();
    ReadResult result =
        fx.client.readAll(ReadAllOptions.get().backwards().fromPosition(second).maxCount(1)).get();
    assertThat(result.getEvents().get(0).getOriginalEvent().getRevision()).isZero();
    assertThat(result.getEvents().get(0).getOriginalEvent().getStreamId()).isEqualTo(s);
  }

  private static List<Long> revisions(ReadResult result) {
    return result.getEvents().stream().map(e -> e.getOriginalEvent().getRevision()).toList();
  }
}
