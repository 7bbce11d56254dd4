package io.cdc2esdb.dev.emulator.store;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The server's best-effort memory of recently written event ids, consulted only for appends with
 * expected version {@code any} or {@code stream_exists}. Bounded by an estimate of its memory (8
 * MiB by default, oldest entries evicted first) and never persisted: after eviction or a restart a
 * re-sent event is simply written again, which is why cdc2esdb never relies on it.
 */
final class IdCache {

  static final long DEFAULT_CAPACITY_BYTES = 8L * 1024 * 1024;

  /** Where an id was written. */
  record Entry(String stream, long revision) {}

  private final long capacityBytes;
  private final Map<UUID, Entry> entries = new LinkedHashMap<>();
  private long bytes;

  IdCache(long capacityBytes) {
    this.capacityBytes = capacityBytes;
  }

  Entry get(UUID id) {
    return entries.get(id);
  }

  void put(UUID id, String stream, long revision) {
    Entry previous = entries.put(id, new Entry(stream, revision));
    if (previous != null) {
      bytes -= sizeOf(previous);
    }
    bytes += sizeOf(entries.get(id));
    if (bytes <= capacityBytes) {
      return;
    }
    var oldest = entries.entrySet().iterator();
    while (bytes > capacityBytes && oldest.hasNext()) {
      bytes -= sizeOf(oldest.next().getValue());
      oldest.remove();
    }
  }

  int size() {
    return entries.size();
  }

  /** Id, revision, a reference, and the stream name as the server's sizer counts them. */
  private static long sizeOf(Entry entry) {
    return 16 + 8 + 8 + 2L * entry.stream().length();
  }
}
