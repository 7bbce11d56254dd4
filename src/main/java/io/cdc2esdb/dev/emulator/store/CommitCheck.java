package io.cdc2esdb.dev.emulator.store;

import java.util.List;
import java.util.UUID;

/**
 * Decides what an append (or a delete, with one fresh id) does to a stream, given the expected
 * version: the server's rules, including its two kinds of idempotency.
 *
 * <ul>
 *   <li>{@code any}/{@code stream_exists}: best effort through the {@link IdCache} — the first id
 *       not found means "write it" (duplicates once the cache has forgotten), all found means
 *       "already written", first found but a later one not means corrupted idempotency;
 *   <li>an exact revision (or {@code no_stream}) behind the stream: positional — event {@code i}
 *       must already be at revision {@code expected + 1 + i} with the same id;
 *   <li>an exact revision equal to the stream's: written, with no idempotency check at all.
 * </ul>
 */
final class CommitCheck {

  /** What the store knows, as the check needs it. */
  interface Index {
    /**
     * The stream's last revision; -1 when it has none; {@link SystemNames#DELETED_STREAM} when
     * tombstoned.
     */
    long currentVersion(String stream);

    boolean softDeleted(String stream);

    boolean hasEvents(String stream);

    /** The id of the event at {@code revision} of {@code stream}, or null. */
    UUID idAt(String stream, long revision);

    IdCache.Entry cached(UUID id);
  }

  sealed interface Decision {
    /** Write after {@code currentVersion}; {@code softDeleted}: the write recreates the stream. */
    record Write(long currentVersion, boolean softDeleted) implements Decision {}

    /** Every event is already there, the last one at {@code lastRevision}. */
    record AlreadyWritten(long lastRevision) implements Decision {}

    record WrongExpectedVersion(long currentVersion) implements Decision {}

    /**
     * The first events are already there but a later one is not: neither a replay nor a write. A
     * single-stream append answers it as a wrong expected version; a multi-stream append cannot say
     * which stream failed (see {@link EmulatorStore#appendAll}).
     */
    record CorruptedIdempotency(long currentVersion) implements Decision {}

    record Deleted() implements Decision {}
  }

  private CommitCheck() {}

  static Decision check(Index index, String stream, long expected, List<UUID> ids) {
    long current = index.currentVersion(stream);
    if (current == SystemNames.DELETED_STREAM) {
      return new Decision.Deleted();
    }
    if (expected == ExpectedVersion.STREAM_EXISTS) {
      if (index.softDeleted(stream)) {
        return new Decision.Deleted();
      }
      if (current < 0 && !index.hasEvents(SystemNames.metastreamOf(stream))) {
        return new Decision.WrongExpectedVersion(current);
      }
    }
    if (expected == ExpectedVersion.ANY || expected == ExpectedVersion.STREAM_EXISTS) {
      return byIdCache(index, stream, current, ids);
    }
    if (expected < current) {
      return byPosition(index, stream, expected, current, ids);
    }
    if (expected > current) {
      return new Decision.WrongExpectedVersion(current);
    }
    return new Decision.Write(current, index.softDeleted(stream));
  }

  private static Decision byIdCache(Index index, String stream, long current, List<UUID> ids) {
    long last = -1;
    for (int i = 0; i < ids.size(); i++) {
      IdCache.Entry entry = index.cached(ids.get(i));
      if (entry == null || !entry.stream().equals(stream)) {
        return i == 0
            ? new Decision.Write(current, index.softDeleted(stream))
            : new Decision.CorruptedIdempotency(current);
      }
      last = entry.revision();
    }
    return ids.isEmpty()
        ? new Decision.Write(current, index.softDeleted(stream))
        : new Decision.AlreadyWritten(last);
  }

  private static Decision byPosition(
      Index index, String stream, long expected, long current, List<UUID> ids) {
    long revision = expected;
    for (UUID id : ids) {
      revision++;
      IdCache.Entry entry = index.cached(id);
      boolean there =
          (entry != null && entry.stream().equals(stream) && entry.revision() == revision)
              || id.equals(index.idAt(stream, revision));
      if (there) {
        continue;
      }
      if (revision != expected + 1) {
        return new Decision.CorruptedIdempotency(current);
      }
      if (expected == ExpectedVersion.NO_STREAM && index.softDeleted(stream)) {
        return new Decision.Write(current, true);
      }
      return new Decision.WrongExpectedVersion(current);
    }
    return revision == expected
        ? new Decision.WrongExpectedVersion(current)
        : new Decision.AlreadyWritten(revision);
  }
}
