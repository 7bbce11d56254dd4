package io.cdc2esdb.dev.emulator.store;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Everything the store knows, in memory: the log in position order, each stream's records, each
 * stream's latest metadata and the id cache. Answers reads the way the server does (metadata
 * honoured on stream reads, ignored on {@code $all}). Not thread-safe: {@link EmulatorStore} guards
 * it.
 */
final class StreamIndex implements CommitCheck.Index {

  private final List<EventRecord> log = new ArrayList<>();
  private final Map<String, StreamState> streams = new HashMap<>();
  private final Map<String, StreamMetadata> metadata = new HashMap<>();
  private final Map<String, byte[]> rawMetadata = new HashMap<>();
  private final IdCache ids;

  StreamIndex(IdCache ids) {
    this.ids = ids;
  }

  /** Adds a record that is in the log (written now or replayed). */
  void apply(EventRecord record) {
    log.add(record);
    StreamState state = streams.computeIfAbsent(record.stream(), name -> new StreamState());
    if (record.isTombstone()) {
      state.tombstone = record;
      return;
    }
    if (record.revision() != state.events.size()) {
      throw new IllegalStateException(
          "record " + record.revision() + " of " + record.stream() + " is out of order");
    }
    state.events.add(record);
    if (SystemNames.isMetastream(record.stream())) {
      String original = SystemNames.originalStreamOf(record.stream());
      metadata.put(original, StreamMetadata.parse(record.data()));
      rawMetadata.put(original, record.data());
    }
  }

  /** Remembers the ids of a live write (replayed records are not: the cache does not survive). */
  void remember(EventRecord record) {
    ids.put(record.id(), record.stream(), record.revision());
  }

  StreamState state(String stream) {
    return streams.get(stream);
  }

  byte[] rawMetadata(String stream) {
    return rawMetadata.get(stream);
  }

  StreamMetadata metadataOf(String stream) {
    return SystemNames.isMetastream(stream)
        ? StreamMetadata.METASTREAM
        : metadata.getOrDefault(stream, StreamMetadata.NONE);
  }

  long lastRevisionOf(String stream) {
    StreamState state = streams.get(stream);
    return state == null ? -1 : state.lastRevision();
  }

  @Override
  public long currentVersion(String stream) {
    StreamState state = streams.get(stream);
    if (state == null) {
      return -1;
    }
    return state.tombstone != null ? SystemNames.DELETED_STREAM : state.lastRevision();
  }

  @Override
  public boolean softDeleted(String stream) {
    return metadataOf(stream).softDeleted();
  }

  @Override
  public boolean hasEvents(String stream) {
    StreamState state = streams.get(stream);
    return state != null && !state.events.isEmpty();
  }

  @Override
  public UUID idAt(String stream, long revision) {
    StreamState state = streams.get(stream);
    EventRecord record = state == null ? null : state.at(revision);
    return record == null ? null : record.id();
  }

  @Override
  public IdCache.Entry cached(UUID id) {
    return ids.get(id);
  }

  /** The first revision of the stream a read may return, given its metadata and the time. */
  long firstVisible(String stream, StreamState state, long nowTicks) {
    StreamMetadata meta = metadataOf(stream);
    long last = state.lastRevision();
    long first = 0;
    if (meta.tb().isPresent()) {
      first = Math.max(first, meta.tb().getAsLong());
    }
    if (meta.maxCount().isPresent()) {
      first = Math.max(first, last - meta.maxCount().getAsLong() + 1);
    }
    if (meta.maxAgeSeconds().isPresent() && first <= last) {
      long cutoff = nowTicks - meta.maxAgeSeconds().getAsLong() * 10_000_000L;
      long low = first;
      long high = last + 1;
      while (low < high) {
        long mid = (low + high) >>> 1;
        if (state.at(mid).createdTicks() < cutoff) {
          low = mid + 1;
        } else {
          high = mid;
        }
      }
      first = low;
    }
    return first;
  }

  StreamRead readStream(
      String stream, long from, long maxCount, boolean forwards, boolean resolve, long now) {
    StreamState state = streams.get(stream);
    if (state == null) {
      return new StreamRead.NotFound();
    }
    if (state.tombstone != null) {
      return new StreamRead.Deleted();
    }
    if (state.events.isEmpty() || metadataOf(stream).softDeleted()) {
      return new StreamRead.NotFound();
    }
    long first = firstVisible(stream, state, now);
    long last = state.lastRevision();
    List<ResolvedRecord> events = new ArrayList<>();
    if (forwards) {
      for (long r = Math.max(from, first); r <= last && events.size() < maxCount; r++) {
        events.add(resolve(state.at(r), resolve, now));
      }
    } else {
      for (long r = Math.min(from, last); r >= first && events.size() < maxCount; r--) {
        events.add(resolve(state.at(r), resolve, now));
      }
    }
    return new StreamRead.Found(events, last, first);
  }

  /**
   * Reads {@code $all} from {@code from} (inclusive) forwards, or before {@code from} backwards,
   * looking at no more than {@code scanLimit} records.
   */
  AllPage readAll(
      long from,
      int maxCount,
      boolean forwards,
      Predicate<EventRecord> filter,
      boolean resolve,
      int scanLimit,
      long now) {
    List<ResolvedRecord> events = new ArrayList<>();
    int index = firstIndexAtOrAfter(from);
    int scanned = 0;
    if (forwards) {
      for (; index < log.size() && events.size() < maxCount && scanned < scanLimit; index++) {
        scanned++;
        EventRecord record = log.get(index);
        if (filter.test(record)) {
          events.add(resolve(record, resolve, now));
        }
      }
      boolean end = index >= log.size();
      return new AllPage(events, end ? endPosition() : log.get(index).position(), end);
    }
    for (index--; index >= 0 && events.size() < maxCount && scanned < scanLimit; index--) {
      scanned++;
      EventRecord record = log.get(index);
      if (filter.test(record)) {
        events.add(resolve(record, resolve, now));
      }
    }
    return new AllPage(events, index < 0 ? 0 : log.get(index + 1).position(), index < 0);
  }

  /** The position the next record would get, if nothing else knew better; 0 for an empty log. */
  long endPosition() {
    if (log.isEmpty()) {
      return 0;
    }
    EventRecord last = log.get(log.size() - 1);
    return last.position() + 1;
  }

  int logSize() {
    return log.size();
  }

  EventRecord lastRecord() {
    return log.isEmpty() ? null : log.get(log.size() - 1);
  }

  ResolvedRecord resolve(EventRecord record, boolean resolve, long now) {
    if (!resolve || !record.isLink()) {
      return ResolvedRecord.of(record);
    }
    return new ResolvedRecord(linkTarget(record, now), record);
  }

  private EventRecord linkTarget(EventRecord link, long now) {
    String target = new String(link.data(), StandardCharsets.UTF_8);
    int at = target.indexOf('@');
    if (at <= 0) {
      return null;
    }
    long revision;
    try {
      revision = Long.parseLong(target.substring(0, at));
    } catch (NumberFormatException e) {
      return null;
    }
    String stream = target.substring(at + 1);
    StreamState state = streams.get(stream);
    if (state == null || state.tombstone != null || metadataOf(stream).softDeleted()) {
      return null;
    }
    return revision >= firstVisible(stream, state, now) ? state.at(revision) : null;
  }

  private int firstIndexAtOrAfter(long position) {
    int low = 0;
    int high = log.size();
    while (low < high) {
      int mid = (low + high) >>> 1;
      if (log.get(mid).position() < position) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return low;
  }
}
