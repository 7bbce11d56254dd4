package io.cdc2esdb.txn;

import java.util.List;

/** The prefix of the pending buffer released by one flush, in buffer (= commit) order. */
public record ReleasedBatch(List<ReleasedEvent> events) {
  public ReleasedBatch {
    events = List.copyOf(events);
  }
}
