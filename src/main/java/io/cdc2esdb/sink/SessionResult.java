package io.cdc2esdb.sink;

import java.util.List;

/** What the server answered to one atomic multi-stream append (KurrentDB's AppendSession). */
public sealed interface SessionResult {

  /**
   * Every stream written (or the whole session recognised as an idempotent repeat): the last
   * revision of each stream, in the order of the requests.
   */
  record Success(List<Long> lastRevisions) implements SessionResult {
    public Success {
      lastRevisions = List.copyOf(lastRevisions);
    }
  }

  /**
   * Nothing written: a stream was not at its expected revision. The server names only the first
   * such stream, and answers a partial replay (some streams already hold their events) the same way
   * on 26.0.3 and later.
   */
  record WrongExpectedVersion(String stream, long expectedRevision, long actualRevision)
      implements SessionResult {}

  /**
   * Nothing written, and the server did not say why in a way that can be acted on: {@code
   * INTERNAL}, which KurrentDB 25.1 to 26.0.2 answer to a partial replay. Only reading the streams
   * tells a partial replay from a fault.
   */
  record Inconclusive(String reason) implements SessionResult {}

  /** Nothing written: {@code stream} is tombstoned. */
  record StreamDeleted(String stream) implements SessionResult {}

  /** Nothing written: the session was refused as invalid (too large, bad request, denied). */
  record Rejected(String reason) implements SessionResult {}
}
