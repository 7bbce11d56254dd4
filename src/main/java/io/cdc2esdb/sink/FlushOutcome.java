package io.cdc2esdb.sink;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What became of one flush: each stream's outcome (in first-seen order), how many appends it took,
 * and how many transactions had to be split over several appends (no longer atomic).
 */
public record FlushOutcome(Map<String, StreamOutcome> streams, int appends, int splitTransactions) {
  public FlushOutcome {
    streams = Collections.unmodifiableMap(new LinkedHashMap<>(streams));
  }
}
