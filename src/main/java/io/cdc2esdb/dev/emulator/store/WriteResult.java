package io.cdc2esdb.dev.emulator.store;

/** The store's answer to an append, a soft delete or a tombstone. */
public sealed interface WriteResult {

  /**
   * Written, or found already written: {@code lastRevision} is the stream's revision after the
   * append (-1: no stream; unused for deletes) and {@code position} the log position of the last
   * record written (-1: nothing written).
   */
  record Success(long lastRevision, long position) implements WriteResult {}

  /** {@code currentVersion}: the stream's last revision, -1 for none. */
  record WrongExpectedVersion(long currentVersion) implements WriteResult {}

  record StreamDeleted() implements WriteResult {}
}
