package io.cdc2esdb.dev.emulator.store;

import java.util.List;

/**
 * The store's answer to a multi-stream append ({@link EmulatorStore#appendAll}), decided the way
 * the server's storage writer combines its per-stream checks.
 */
public sealed interface MultiWriteResult {

  /**
   * Every stream written ({@code replay} false), or every stream found already written by an
   * identical earlier append ({@code replay} true). {@code lastRevisions}: each stream's last
   * revision, in request order; {@code position}: the log position of the last event (for a replay,
   * the largest position among the streams' last original events).
   */
  record Written(List<Long> lastRevisions, long position, boolean replay)
      implements MultiWriteResult {}

  /**
   * Some streams are at another revision than expected and none was found already written: {@code
   * stream} is the first of them (its request index), {@code currentVersion} its last revision (-1:
   * none).
   */
  record Conflict(int stream, long currentVersion) implements MultiWriteResult {}

  /**
   * The stream at request index {@code stream} is tombstoned (or soft-deleted, expected EXISTS).
   */
  record Deleted(int stream) implements MultiWriteResult {}

  /**
   * Part of the append is already written and part is not (or one stream's events only partly
   * match): the server cannot name a failing stream. {@code stream} is the first stream that was
   * not simply writable, {@code currentVersion} its last revision.
   */
  record PartialReplay(int stream, long currentVersion) implements MultiWriteResult {}
}
