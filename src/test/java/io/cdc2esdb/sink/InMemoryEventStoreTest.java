package io.cdc2esdb.sink;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdc2esdb.event.ProposedEvent;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The in-memory store answers as the server does for exact and no-stream revisions. */
class InMemoryEventStoreTest {

  private final InMemoryEventStore store = new InMemoryEventStore();
  private final ProposedEvent a = event();
  private final ProposedEvent b = event();

  @Test
  void shouldRejectAnExactRevisionOnAMissingStream() {
    assertThat(append(0, a)).isEqualTo(new AppendResult.WrongExpectedVersion(0, -1));
    assertThat(store.streamNames()).isEmpty();
  }

  @Test
  void shouldAcceptTheSameIdsBelowTheCurrentRevisionWithoutWritingThem() {
    append(-1, a, b);
    assertThat(append(-1, a, b)).isEqualTo(new AppendResult.Success(1));
    assertThat(append(0, b)).isEqualTo(new AppendResult.Success(1));
    assertThat(store.events("s")).hasSize(2);
  }

  @Test
  void shouldWriteTheSameIdsAgainAtTheCurrentRevision() {
    append(-1, a);
    assertThat(append(0, a)).isEqualTo(new AppendResult.Success(1));
    assertThat(store.events("s")).hasSize(2);
  }

  @Test
  void shouldRejectAPartialOverlapAndARevisionAhead() {
    append(-1, a);
    assertThat(append(-1, a, b)).isInstanceOf(AppendResult.WrongExpectedVersion.class);
    assertThat(append(5, b)).isEqualTo(new AppendResult.WrongExpectedVersion(5, 0));
  }

  @Test
  void shouldAnswerStreamDeletedAfterATombstone() {
    store.tombstone("s");
    assertThat(append(-1, a)).isEqualTo(new AppendResult.StreamDeleted("s"));
    assertThat(store.read("s", 0, 10)).isCompletedExceptionally();
  }

  private AppendResult append(long expected, ProposedEvent... events) {
    return store.append(new AppendRequest("s", expected, List.of(events))).join();
  }

  private static ProposedEvent event() {
    return new ProposedEvent(UUID.randomUUID(), "T", new byte[] {'{', '}'}, new byte[0]);
  }
}
