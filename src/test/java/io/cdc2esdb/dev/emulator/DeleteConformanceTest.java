package io.cdc2esdb.dev.emulator;

import static io.cdc2esdb.dev.emulator.EmulatorFixture.event;
import static io.cdc2esdb.dev.emulator.EmulatorFixture.failure;
import static io.cdc2esdb.dev.emulator.EmulatorFixture.stream;
import static org.assertj.core.api.Assertions.assertThat;

import com.eventstore.dbclient.DeleteResult;
import com.eventstore.dbclient.DeleteStreamOptions;
import com.eventstore.dbclient.ExpectedRevision;
import com.eventstore.dbclient.ReadStreamOptions;
import com.eventstore.dbclient.RecordedEvent;
import com.eventstore.dbclient.ResolvedEvent;
import com.eventstore.dbclient.StreamDeletedException;
import com.eventstore.dbclient.StreamNotFoundException;
import com.eventstore.dbclient.WriteResult;
import com.eventstore.dbclient.WrongExpectedVersionException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Soft delete (and recreation) and tombstones, through the real client. */
class DeleteConformanceTest {

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
  void shouldReadASoftDeletedStreamAsNotFound() throws Exception {
    String s = stream("del");
    fx.append(s, ExpectedRevision.noStream(), event("A"), event("B"));
    DeleteResult deleted = fx.client.deleteStream(s).get();
    assertThat(deleted.getPosition().getCommitUnsigned()).isPositive();
    assertThat(failure(fx.client.readStream(s, ReadStreamOptions.get())))
        .isInstanceOf(StreamNotFoundException.class);
    assertThat(fx.client.getStreamMetadata(s).get().getTruncateBefore()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void shouldKeepASoftDeletedStreamsEventsInAll() throws Exception {
    String s = stream("del");
    fx.append(s, ExpectedRevision.noStream(), event("A"), event("B"));
    fx.client.deleteStream(s).get();
    assertThat(fx.readAll())
        .filteredOn(e -> e.getOriginalEvent().getStreamId().equals(s))
        .hasSize(2);
  }

  @Test
  void shouldRecreateASoftDeletedStreamWithNoStreamContinuingItsRevisions() throws Exception {
    String s = stream("del");
    fx.append(s, ExpectedRevision.noStream(), event("A"), event("B"));
    fx.client.deleteStream(s).get();
    WriteResult recreated = fx.append(s, ExpectedRevision.noStream(), event("C"));
    assertThat(recreated.getNextExpectedRevision()).isEqualTo(ExpectedRevision.expectedRevision(2));
    List<RecordedEvent> read = fx.read(s);
    assertThat(read).extracting(RecordedEvent::getRevision).containsExactly(2L);
    assertThat(read).extracting(RecordedEvent::getEventType).containsExactly("C");
    assertThat(fx.client.getStreamMetadata(s).get().getTruncateBefore()).isEqualTo(2L);
  }

  @Test
  void shouldRecreateASoftDeletedStreamAtItsLastRevision() throws Exception {
    String s = stream("del");
    fx.append(s, ExpectedRevision.noStream(), event("A"), event("B"));
    fx.client.deleteStream(s).get();
    WriteResult recreated = fx.append(s, ExpectedRevision.expectedRevision(1), event("C"));
    assertThat(recreated.getNextExpectedRevision()).isEqualTo(ExpectedRevision.expectedRevision(2));
    assertThat(fx.read(s)).hasSize(1);
  }

  @Test
  void shouldFailStreamExistsOnASoftDeletedStreamWithStreamDeleted() throws Exception {
    String s = stream("del");
    fx.append(s, ExpectedRevision.noStream(), event("A"));
    fx.client.deleteStream(s).get();
    assertThat(fx.appendFailure(s, ExpectedRevision.streamExists(), event("B")))
        .isInstanceOf(StreamDeletedException.class);
  }

  @Test
  void shouldRejectSoftDeletingAMissingStreamWithWrongExpectedVersionEvenWithAny() {
    Throwable error =
        failure(
            fx.client.deleteStream(
                stream("del"), DeleteStreamOptions.get().expectedRevision(ExpectedRevision.any())));
    assertThat(error).isInstanceOf(WrongExpectedVersionException.class);
  }

  @Test
  void shouldSoftDeleteAtTheExactRevision() throws Exception {
    String s = stream("del");
    fx.append(s, ExpectedRevision.noStream(), event("A"), event("B"));
    fx.client.deleteStream(s, DeleteStreamOptions.get().expectedRevision(1)).get();
    assertThat(failure(fx.client.readStream(s, ReadStreamOptions.get())))
        .isInstanceOf(StreamNotFoundException.class);
  }

  @Test
  void shouldRejectEveryLaterAppendToATombstonedStreamWithStreamDeleted() throws Exception {
    String s = stream("del");
    fx.append(s, ExpectedRevision.noStream(), event("A"));
    fx.client.tombstoneStream(s).get();
    assertThat(fx.appendFailure(s, ExpectedRevision.any(), event("B")))
        .isInstanceOf(StreamDeletedException.class);
    assertThat(fx.appendFailure(s, ExpectedRevision.noStream(), event("B")))
        .isInstanceOf(StreamDeletedException.class);
    assertThat(fx.appendFailure(s, ExpectedRevision.expectedRevision(0), event("B")))
        .isInstanceOf(StreamDeletedException.class);
  }

  @Test
  void shouldFailDeletesAndTombstonesOfATombstonedStreamWithStreamDeleted() throws Exception {
    String s = stream("del");
    fx.append(s, ExpectedRevision.noStream(), event("A"));
    fx.client.tombstoneStream(s).get();
    assertThat(failure(fx.client.deleteStream(s))).isInstanceOf(StreamDeletedException.class);
    assertThat(failure(fx.client.tombstoneStream(s))).isInstanceOf(StreamDeletedException.class);
  }

  @Test
  void shouldFailReadsOfATombstonedStreamWithAStreamDeletedStatus() throws Exception {
    String s = stream("del");
    fx.append(s, ExpectedRevision.noStream(), event("A"));
    fx.client.tombstoneStream(s).get();
    Throwable error = failure(fx.client.readStream(s, ReadStreamOptions.get()));
    assertThat(error).isInstanceOf(StatusRuntimeException.class);
    StatusRuntimeException status = (StatusRuntimeException) error;
    assertThat(status.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(WireShapesConformanceTest.trailer(status, "exception")).isEqualTo("stream-deleted");
  }

  @Test
  void shouldRecordTheTombstoneInAllAtTheLastPossibleRevision() throws Exception {
    String s = stream("del");
    fx.append(s, ExpectedRevision.noStream(), event("A"));
    DeleteResult tombstone = fx.client.tombstoneStream(s).get();
    List<RecordedEvent> ours =
        fx.readAll().stream()
            .map(ResolvedEvent::getOriginalEvent)
            .filter(e -> e.getStreamId().equals(s))
            .toList();
    assertThat(ours).extracting(RecordedEvent::getEventType).containsExactly("A", "$streamDeleted");
    assertThat(ours.get(1).getRevision()).isEqualTo(Long.MAX_VALUE);
    assertThat(ours.get(1).getPosition()).isEqualTo(tombstone.getPosition());
  }

  @Test
  void shouldTombstoneAMissingStreamWithAnyOrNoStream() throws Exception {
    String withAny = stream("del");
    String withNoStream = stream("del");
    fx.client.tombstoneStream(withAny).get();
    fx.client
        .tombstoneStream(
            withNoStream, DeleteStreamOptions.get().expectedRevision(ExpectedRevision.noStream()))
        .get();
    assertThat(fx.appendFailure(withAny, ExpectedRevision.any(), event("A")))
        .isInstanceOf(StreamDeletedException.class);
    assertThat(fx.appendFailure(withNoStream, ExpectedRevision.any(), event("A")))
        .isInstanceOf(StreamDeletedException.class);
  }

  @Test
  void shouldRejectTombstoningAMissingStreamWithStreamExists() {
    Throwable error =
        failure(
            fx.client.tombstoneStream(
                stream("del"),
                DeleteStreamOptions.get().expectedRevision(ExpectedRevision.streamExists())));
    assertThat(error).isInstanceOf(WrongExpectedVersionException.class);
  }
}
