package io.cdc2esdb.dev.emulator.store;

import java.util.List;

/** The answer to a read of one stream. */
public sealed interface StreamRead {

  /** The stream has no events, or is soft-deleted. */
  record NotFound() implements StreamRead {}

  /** The stream is tombstoned. */
  record Deleted() implements StreamRead {}

  /**
   * Events in the order read; {@code lastRevision} is the stream's last revision and {@code
   * firstRevision} the first one its metadata lets a read see.
   */
  record Found(List<ResolvedRecord> events, long lastRevision, long firstRevision)
      implements StreamRead {}
}
