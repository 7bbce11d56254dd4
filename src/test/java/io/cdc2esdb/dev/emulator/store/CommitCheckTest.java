package io.cdc2esdb.dev.emulator.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The append decision table, without a store around it. */
class CommitCheckTest {

  private final UUID a = UUID.randomUUID();
  private final UUID b = UUID.randomUUID();
  private final UUID c = UUID.randomUUID();
  private final FakeIndex index = new FakeIndex();

  @Test
  void shouldWriteANewStreamWithNoStreamOrAnyOnly() {
    assertThat(check(ExpectedVersion.NO_STREAM, a))
        .isEqualTo(new CommitCheck.Decision.Write(-1, false));
    assertThat(check(ExpectedVersion.ANY, a)).isEqualTo(new CommitCheck.Decision.Write(-1, false));
    assertThat(check(ExpectedVersion.STREAM_EXISTS, a))
        .isEqualTo(new CommitCheck.Decision.WrongExpectedVersion(-1));
    assertThat(check(0, a)).isEqualTo(new CommitCheck.Decision.WrongExpectedVersion(-1));
  }

  @Test
  void shouldAcceptStreamExistsOnAStreamThatOnlyHasMetadata() {
    index.ids.put("$$s", new HashMap<>(Map.of(0L, UUID.randomUUID())));
    assertThat(check(ExpectedVersion.STREAM_EXISTS, a))
        .isEqualTo(new CommitCheck.Decision.Write(-1, false));
  }

  @Test
  void shouldCheckPositionallyBehindTheStream() {
    index.stream(a, b);
    assertThat(check(ExpectedVersion.NO_STREAM, a, b))
        .isEqualTo(new CommitCheck.Decision.AlreadyWritten(1));
    assertThat(check(0, b)).isEqualTo(new CommitCheck.Decision.AlreadyWritten(1));
    assertThat(check(0, c)).isEqualTo(new CommitCheck.Decision.WrongExpectedVersion(1));
    assertThat(check(ExpectedVersion.NO_STREAM, a, c))
        .isEqualTo(new CommitCheck.Decision.CorruptedIdempotency(1));
    assertThat(check(0, b, c)).isEqualTo(new CommitCheck.Decision.CorruptedIdempotency(1));
  }

  @Test
  void shouldWriteAtTheCurrentRevisionWithoutLookingAtIds() {
    index.stream(a, b);
    assertThat(check(1, a, b)).isEqualTo(new CommitCheck.Decision.Write(1, false));
    assertThat(check(2, c)).isEqualTo(new CommitCheck.Decision.WrongExpectedVersion(1));
  }

  @Test
  void shouldRecreateASoftDeletedStreamWithNoStream() {
    index.stream(a, b);
    index.softDeleted = true;
    assertThat(check(ExpectedVersion.NO_STREAM, c))
        .isEqualTo(new CommitCheck.Decision.Write(1, true));
    assertThat(check(1, c)).isEqualTo(new CommitCheck.Decision.Write(1, true));
    assertThat(check(ExpectedVersion.STREAM_EXISTS, c))
        .isEqualTo(new CommitCheck.Decision.Deleted());
  }

  @Test
  void shouldRefuseEverythingOnATombstonedStream() {
    index.tombstoned = true;
    assertThat(check(ExpectedVersion.ANY, a)).isEqualTo(new CommitCheck.Decision.Deleted());
    assertThat(check(ExpectedVersion.NO_STREAM, a)).isEqualTo(new CommitCheck.Decision.Deleted());
  }

  private CommitCheck.Decision check(long expected, UUID... ids) {
    return CommitCheck.check(index, "s", expected, List.of(ids));
  }

  /** Streams by name, each a map of revision to id. */
  private static final class FakeIndex implements CommitCheck.Index {
    final Map<String, Map<Long, UUID>> ids = new HashMap<>();
    boolean softDeleted;
    boolean tombstoned;

    void stream(UUID... events) {
      Map<Long, UUID> revisions = new HashMap<>();
      for (int i = 0; i < events.length; i++) {
        revisions.put((long) i, events[i]);
      }
      ids.put("s", revisions);
    }

    @Override
    public long currentVersion(String stream) {
      if (tombstoned) {
        return SystemNames.DELETED_STREAM;
      }
      return ids.containsKey(stream) ? ids.get(stream).size() - 1L : -1;
    }

    @Override
    public boolean softDeleted(String stream) {
      return softDeleted;
    }

    @Override
    public boolean hasEvents(String stream) {
      return ids.containsKey(stream);
    }

    @Override
    public UUID idAt(String stream, long revision) {
      return ids.getOrDefault(stream, Map.of()).get(revision);
    }

    @Override
    public IdCache.Entry cached(UUID id) {
      return null;
    }
  }
}
