package io.cdc2esdb.sink;

/** What the server answered to one append. */
public sealed interface AppendResult {

  /**
   * Written (or recognised by the server as an idempotent repeat of an earlier write): {@code
   * lastRevision} is the revision of the append's last event.
   */
  record Success(long lastRevision) implements AppendResult {}

  /** The stream was not at the expected revision; {@code actualRevision} is -1 for no stream. */
  record WrongExpectedVersion(long expectedRevision, long actualRevision) implements AppendResult {}

  /** The stream is tombstoned: nothing can ever be appended to it again. */
  record StreamDeleted(String stream) implements AppendResult {}

  /** The server refused the append as invalid (too large, missing metadata, access denied). */
  record Rejected(String reason) implements AppendResult {}
}
