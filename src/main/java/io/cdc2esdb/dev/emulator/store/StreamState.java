package io.cdc2esdb.dev.emulator.store;

import java.util.ArrayList;
import java.util.List;

/** One stream's records: its events by revision (revisions are contiguous) and its tombstone. */
final class StreamState {
  final List<EventRecord> events = new ArrayList<>();
  EventRecord tombstone;

  long lastRevision() {
    return events.size() - 1L;
  }

  EventRecord at(long revision) {
    return revision >= 0 && revision < events.size() ? events.get((int) revision) : null;
  }
}
