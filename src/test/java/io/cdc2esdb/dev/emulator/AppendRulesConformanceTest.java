package io.cdc2esdb.dev.emulator;

import static io.cdc2esdb.dev.emulator.EmulatorFixture.event;
import static io.cdc2esdb.dev.emulator.EmulatorFixture.stream;
import static org.assertj.core.api.Assertions.assertThat;

import com.eventstore.dbclient.EventData;
import com.eventstore.dbclient.ExpectedRevision;
import com.eventstore.dbclient.RecordedEvent;
import com.eventstore.dbclient.StreamNotFoundException;
import com.eventstore.dbclient.WriteResult;
import com.eventstore.dbclient.WrongExpectedVersionException;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The expected-revision matrix and both kinds of idempotency, through the real client. */
class AppendRulesConformanceTest {

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
  void shouldCreateAStreamWithNoStream() throws Exception {
    String s = stream("append");
    EventData a = event("A");
    EventData b = event("B");
    WriteResult result = fx.append(s, ExpectedRevision.noStream(), a, b);
    assertThat(result.getNextExpectedRevision()).isEqualTo(ExpectedRevision.expectedRevision(1));
    assertThat(ids(fx.read(s))).containsExactly(a.getEventId(), b.getEventId());
  }

  @Test
  void shouldCreateAStreamWithAny() throws Exception {
    String s = stream("append");
    WriteResult result = fx.append(s, ExpectedRevision.any(), event("A"));
    assertThat(result.getNextExpectedRevision()).isEqualTo(ExpectedRevision.expectedRevision(0));
  }

  @Test
  void shouldRejectStreamExistsOnAMissingStreamWithWrongExpectedVersion() {
    String s = stream("append");
    Throwable error = fx.appendFailure(s, ExpectedRevision.streamExists(), event("A"));
    assertThat(error).isInstanceOf(WrongExpectedVersionException.class);
    assertThat(((WrongExpectedVersionException) error).getActualVersion())
        .isEqualTo(ExpectedRevision.noStream());
    assertThat(
            EmulatorFixture.failure(
                fx.client.readStream(s, com.eventstore.dbclient.ReadStreamOptions.get())))
        .isInstanceOf(StreamNotFoundException.class);
  }

  @Test
  void shouldRejectAnExactRevisionOnAMissingStreamWithWrongExpectedVersion() {
    String s = stream("append");
    Throwable error = fx.appendFailure(s, ExpectedRevision.expectedRevision(0), event("A"));
    assertThat(error).isInstanceOf(WrongExpectedVersionException.class);
    assertThat(((WrongExpectedVersionException) error).getActualVersion())
        .isEqualTo(ExpectedRevision.noStream());
  }

  @Test
  void shouldRejectAnExactRevisionAheadOfTheStreamWithWrongExpectedVersion() throws Exception {
    String s = stream("append");
    fx.append(s, ExpectedRevision.noStream(), event("A"), event("B"));
    Throwable error = fx.appendFailure(s, ExpectedRevision.expectedRevision(5), event("C"));
    assertThat(error).isInstanceOf(WrongExpectedVersionException.class);
    WrongExpectedVersionException wrong = (WrongExpectedVersionException) error;
    assertThat(wrong.getNextExpectedRevision()).isEqualTo(ExpectedRevision.expectedRevision(5));
    assertThat(wrong.getActualVersion()).isEqualTo(ExpectedRevision.expectedRevision(1));
    assertThat(fx.read(s)).hasSize(2);
  }

  @Test
  void shouldAppendAtTheExactCurrentRevision() throws Exception {
    String s = stream("append");
    fx.append(s, ExpectedRevision.noStream(), event("A"), event("B"));
    WriteResult result = fx.append(s, ExpectedRevision.expectedRevision(1), event("C"));
    assertThat(result.getNextExpectedRevision()).isEqualTo(ExpectedRevision.expectedRevision(2));
  }

  @Test
  void shouldAppendWithStreamExistsToAnExistingStream() throws Exception {
    String s = stream("append");
    fx.append(s, ExpectedRevision.noStream(), event("A"));
    WriteResult result = fx.append(s, ExpectedRevision.streamExists(), event("B"));
    assertThat(result.getNextExpectedRevision()).isEqualTo(ExpectedRevision.expectedRevision(1));
  }

  @Test
  void shouldAppendWithAnyToAnExistingStream() throws Exception {
    String s = stream("append");
    fx.append(s, ExpectedRevision.noStream(), event("A"));
    WriteResult result = fx.append(s, ExpectedRevision.any(), event("B"));
    assertThat(result.getNextExpectedRevision()).isEqualTo(ExpectedRevision.expectedRevision(1));
  }

  @Test
  void shouldRejectNoStreamOnAnExistingStreamWithOtherIds() throws Exception {
    String s = stream("append");
    fx.append(s, ExpectedRevision.noStream(), event("A"), event("B"));
    Throwable error = fx.appendFailure(s, ExpectedRevision.noStream(), event("C"));
    assertThat(error).isInstanceOf(WrongExpectedVersionException.class);
    assertThat(((WrongExpectedVersionException) error).getActualVersion())
        .isEqualTo(ExpectedRevision.expectedRevision(1));
  }

  @Test
  void shouldAnswerTheSameIdsWithNoStreamWithTheOriginalWriteAndWriteNothing() throws Exception {
    String s = stream("append");
    EventData a = event("A");
    EventData b = event("B");
    WriteResult first = fx.append(s, ExpectedRevision.noStream(), a, b);
    WriteResult again = fx.append(s, ExpectedRevision.noStream(), a, b);
    assertThat(again.getNextExpectedRevision()).isEqualTo(ExpectedRevision.expectedRevision(1));
    assertThat(again.getLogPosition()).isEqualTo(first.getLogPosition());
    assertThat(ids(fx.read(s))).containsExactly(a.getEventId(), b.getEventId());
  }

  @Test
  void shouldAnswerTheSameIdsAtAnOlderRevisionWithTheOriginalWrite() throws Exception {
    String s = stream("append");
    fx.append(s, ExpectedRevision.noStream(), event("A"), event("B"));
    EventData c = event("C");
    EventData d = event("D");
    WriteResult first = fx.append(s, ExpectedRevision.expectedRevision(1), c, d);
    fx.append(s, ExpectedRevision.expectedRevision(3), event("E"));

    WriteResult again = fx.append(s, ExpectedRevision.expectedRevision(1), c, d);

    assertThat(again.getNextExpectedRevision()).isEqualTo(ExpectedRevision.expectedRevision(3));
    assertThat(again.getLogPosition()).isEqualTo(first.getLogPosition());
    assertThat(fx.read(s)).hasSize(5);
  }

  @Test
  void shouldAnswerAResentPrefixOfTheTailWithTheRevisionOfItsLastEvent() throws Exception {
    String s = stream("append");
    EventData a = event("A");
    EventData b = event("B");
    EventData c = event("C");
    fx.append(s, ExpectedRevision.noStream(), a, b, c);
    WriteResult again = fx.append(s, ExpectedRevision.expectedRevision(0), b);
    assertThat(again.getNextExpectedRevision()).isEqualTo(ExpectedRevision.expectedRevision(1));
    assertThat(fx.read(s)).hasSize(3);
  }

  @Test
  void shouldRejectAPartialOverlapWithWrongExpectedVersion() throws Exception {
    String s = stream("append");
    EventData c = event("C");
    fx.append(s, ExpectedRevision.noStream(), event("A"), event("B"), c, event("D"));
    Throwable error = fx.appendFailure(s, ExpectedRevision.expectedRevision(1), c, event("X"));
    assertThat(error).isInstanceOf(WrongExpectedVersionException.class);
    assertThat(((WrongExpectedVersionException) error).getActualVersion())
        .isEqualTo(ExpectedRevision.expectedRevision(3));
    assertThat(fx.read(s)).hasSize(4);
  }

  @Test
  void shouldRejectAResentBatchThatReachesBeyondTheTailWithWrongExpectedVersion() throws Exception {
    String s = stream("append");
    EventData b = event("B");
    fx.append(s, ExpectedRevision.noStream(), event("A"), b);
    Throwable error = fx.appendFailure(s, ExpectedRevision.expectedRevision(0), b, event("C"));
    assertThat(error).isInstanceOf(WrongExpectedVersionException.class);
    assertThat(fx.read(s)).hasSize(2);
  }

  @Test
  void shouldRejectOtherIdsAtAnOlderRevisionWithWrongExpectedVersion() throws Exception {
    String s = stream("append");
    fx.append(s, ExpectedRevision.noStream(), event("A"), event("B"));
    Throwable error = fx.appendFailure(s, ExpectedRevision.expectedRevision(0), event("X"));
    assertThat(error).isInstanceOf(WrongExpectedVersionException.class);
  }

  @Test
  void shouldWriteTheSameIdsAgainAtTheCurrentRevision() throws Exception {
    String s = stream("append");
    EventData a = event("A");
    EventData b = event("B");
    fx.append(s, ExpectedRevision.noStream(), a, b);
    WriteResult again = fx.append(s, ExpectedRevision.expectedRevision(1), a, b);
    assertThat(again.getNextExpectedRevision()).isEqualTo(ExpectedRevision.expectedRevision(3));
    assertThat(ids(fx.read(s)))
        .containsExactly(a.getEventId(), b.getEventId(), a.getEventId(), b.getEventId());
  }

  @Test
  void shouldAnswerTheSameIdsWithAnyWithTheOriginalWriteWhileTheyAreRemembered() throws Exception {
    String s = stream("append");
    EventData a = event("A");
    EventData b = event("B");
    WriteResult first = fx.append(s, ExpectedRevision.any(), a, b);
    fx.append(s, ExpectedRevision.any(), event("C"));
    WriteResult again = fx.append(s, ExpectedRevision.any(), a, b);
    assertThat(again.getNextExpectedRevision()).isEqualTo(ExpectedRevision.expectedRevision(1));
    assertThat(again.getLogPosition()).isEqualTo(first.getLogPosition());
    assertThat(fx.read(s)).hasSize(3);
  }

  @Test
  void shouldRejectAnyWhenOnlyTheFirstIdIsRemembered() throws Exception {
    String s = stream("append");
    EventData a = event("A");
    fx.append(s, ExpectedRevision.any(), a, event("B"));
    Throwable error = fx.appendFailure(s, ExpectedRevision.any(), a, event("X"));
    assertThat(error).isInstanceOf(WrongExpectedVersionException.class);
    assertThat(fx.read(s)).hasSize(2);
  }

  @Test
  void shouldWriteWithAnyWhenTheFirstIdIsNewEvenIfALaterOneIsRemembered() throws Exception {
    String s = stream("append");
    EventData a = event("A");
    fx.append(s, ExpectedRevision.any(), a);
    WriteResult result = fx.append(s, ExpectedRevision.any(), event("X"), a);
    assertThat(result.getNextExpectedRevision()).isEqualTo(ExpectedRevision.expectedRevision(2));
  }

  @Test
  void shouldNotTakeAnIdRememberedForAnotherStreamAsWritten() throws Exception {
    String s = stream("append");
    String other = stream("append");
    EventData a = event("A");
    fx.append(other, ExpectedRevision.any(), a);
    WriteResult result = fx.append(s, ExpectedRevision.any(), a);
    assertThat(result.getNextExpectedRevision()).isEqualTo(ExpectedRevision.expectedRevision(0));
    assertThat(fx.read(s)).hasSize(1);
  }

  @Test
  void shouldReportThePositionOfTheBatchsLastEvent() throws Exception {
    String s = stream("append");
    EventData a = event("A");
    EventData b = event("B");
    WriteResult result = fx.append(s, ExpectedRevision.noStream(), a, b);
    List<RecordedEvent> read = fx.read(s);
    assertThat(result.getLogPosition()).isEqualTo(read.get(1).getPosition());
    assertThat(read.get(1).getPosition().getCommitUnsigned())
        .isGreaterThan(read.get(0).getPosition().getCommitUnsigned() + 1);
  }

  @Test
  void shouldKeepTheGivenEventIdsTypesAndData() throws Exception {
    String s = stream("append");
    UUID id = UUID.randomUUID();
    fx.append(s, ExpectedRevision.noStream(), event(id, "Inserted"));
    RecordedEvent read = fx.read(s).get(0);
    assertThat(read.getEventId()).isEqualTo(id);
    assertThat(read.getEventType()).isEqualTo("Inserted");
    assertThat(new String(read.getEventData())).isEqualTo("{\"n\":1}");
    assertThat(read.getContentType()).isEqualTo("application/json");
    assertThat(read.getRevision()).isZero();
  }

  static List<UUID> ids(List<RecordedEvent> events) {
    return events.stream().map(RecordedEvent::getEventId).toList();
  }
}
