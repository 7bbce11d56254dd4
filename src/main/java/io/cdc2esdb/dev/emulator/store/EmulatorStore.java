package io.cdc2esdb.dev.emulator.store;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Predicate;

/**
 * The emulator's storage engine: an append-only log with per-stream indexes, applying the server's
 * rules for appends, soft deletes, tombstones, metastreams and reads. Pure Java, no gRPC: the
 * emulator's services translate the wire protocol onto it.
 *
 * <p>Writes are serialised (one lock), reads run concurrently. With fsync a write is forced to disk
 * after the lock is released, one force for all writers waiting at that moment (group commit), and
 * acknowledged after that; it is visible to readers from its commit on. Listeners registered with
 * {@link #onCommit} hear about every write after it is visible, which is what subscriptions follow.
 */
public final class EmulatorStore implements AutoCloseable {

  /** In memory when {@code dataDir} is null; otherwise the log lives in that directory. */
  public record Options(
      Path dataDir, boolean fsync, boolean projections, Clock clock, long idCacheBytes) {

    public static Options inMemory() {
      return new Options(null, false, true, Clock.systemUTC(), IdCache.DEFAULT_CAPACITY_BYTES);
    }

    public Options withDataDir(Path dir) {
      return new Options(dir, fsync, projections, clock, idCacheBytes);
    }

    public Options withProjections(boolean on) {
      return new Options(dataDir, fsync, on, clock, idCacheBytes);
    }

    public Options withClock(Clock value) {
      return new Options(dataDir, fsync, projections, value, idCacheBytes);
    }

    public Options withFsync(boolean on) {
      return new Options(dataDir, on, projections, clock, idCacheBytes);
    }
  }

  private record Pending(String stream, long revision, NewEvent event) {}

  private static final int SCAN_LIMIT = 4096;

  private final Options options;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final StreamIndex index;
  private final LogFile file;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
  private long nextPosition;

  private EmulatorStore(Options options) {
    this.options = options;
    this.index = new StreamIndex(new IdCache(options.idCacheBytes()));
    if (options.dataDir() == null) {
      this.file = null;
      this.nextPosition = LogCodec.MAGIC.length;
    } else {
      this.file = LogFile.open(options.dataDir(), options.fsync(), index::apply);
      this.nextPosition = file.end();
    }
  }

  public static EmulatorStore open(Options options) {
    return new EmulatorStore(options);
  }

  public WriteResult append(String stream, long expected, List<NewEvent> events) {
    WriteResult result;
    lock.writeLock().lock();
    try {
      result = appendLocked(stream, expected, events);
    } finally {
      lock.writeLock().unlock();
    }
    durable();
    notifyListeners();
    return result;
  }

  private WriteResult appendLocked(String stream, long expected, List<NewEvent> events) {
    List<UUID> ids = events.stream().map(NewEvent::id).toList();
    CommitCheck.Decision decision = CommitCheck.check(index, stream, expected, ids);
    if (decision instanceof CommitCheck.Decision.Deleted) {
      return new WriteResult.StreamDeleted();
    }
    if (decision instanceof CommitCheck.Decision.WrongExpectedVersion wrong) {
      return new WriteResult.WrongExpectedVersion(wrong.currentVersion());
    }
    if (decision instanceof CommitCheck.Decision.CorruptedIdempotency corrupted) {
      return new WriteResult.WrongExpectedVersion(corrupted.currentVersion());
    }
    if (decision instanceof CommitCheck.Decision.AlreadyWritten done) {
      EventRecord last = index.state(stream).at(done.lastRevision());
      return new WriteResult.Success(done.lastRevision(), last.position());
    }
    CommitCheck.Decision.Write write = (CommitCheck.Decision.Write) decision;
    if (events.isEmpty()) {
      return new WriteResult.Success(write.currentVersion(), -1);
    }
    boolean undeleteOriginal =
        SystemNames.isMetastream(stream) && index.softDeleted(SystemNames.originalStreamOf(stream));
    List<Pending> pending = new ArrayList<>(events.size());
    for (int i = 0; i < events.size(); i++) {
      pending.add(new Pending(stream, write.currentVersion() + 1 + i, events.get(i)));
    }
    List<EventRecord> written = commit(pending);
    if (write.softDeleted()) {
      softUndelete(stream, write.currentVersion() + 1);
    }
    if (undeleteOriginal) {
      String original = SystemNames.originalStreamOf(stream);
      softUndelete(original, index.lastRevisionOf(original) + 1);
    }
    project(written);
    EventRecord last = written.get(written.size() - 1);
    return new WriteResult.Success(last.revision(), last.position());
  }

  /**
   * Appends to several streams atomically: every stream's expectation is checked before anything is
   * written, then all events are written in request order (each with its own {@code $all} position)
   * and become visible together. The streams must be distinct. The per-stream checks combine as the
   * server's do: a tombstoned stream or a partly matching replay ends the check at once; all
   * writable → written; all already written → the original write; writable and conflicting only →
   * the first conflict; any other mix → {@link MultiWriteResult.PartialReplay}.
   */
  public MultiWriteResult appendAll(List<StreamWrite> writes) {
    MultiWriteResult result;
    lock.writeLock().lock();
    try {
      result = appendAllLocked(writes);
    } finally {
      lock.writeLock().unlock();
    }
    durable();
    if (result instanceof MultiWriteResult.Written written && !written.replay()) {
      notifyListeners();
    }
    return result;
  }

  private MultiWriteResult appendAllLocked(List<StreamWrite> writes) {
    int n = writes.size();
    CommitCheck.Decision[] decisions = new CommitCheck.Decision[n];
    int writable = 0;
    int replayed = 0;
    int firstConflict = -1;
    int firstOther = -1;
    for (int i = 0; i < n; i++) {
      StreamWrite write = writes.get(i);
      List<UUID> ids = new ArrayList<>(write.events().size());
      for (NewEvent event : write.events()) {
        ids.add(event.id());
      }
      CommitCheck.Decision decision =
          CommitCheck.check(index, write.stream(), write.expected(), ids);
      decisions[i] = decision;
      if (decision instanceof CommitCheck.Decision.Deleted) {
        return new MultiWriteResult.Deleted(i);
      }
      if (decision instanceof CommitCheck.Decision.CorruptedIdempotency corrupted) {
        if (n == 1) {
          return new MultiWriteResult.Conflict(0, corrupted.currentVersion());
        }
        int first = firstOther < 0 ? i : firstOther;
        return new MultiWriteResult.PartialReplay(first, currentOf(decisions[first]));
      }
      if (decision instanceof CommitCheck.Decision.Write) {
        writable++;
        continue;
      }
      if (firstOther < 0) {
        firstOther = i;
      }
      if (decision instanceof CommitCheck.Decision.AlreadyWritten) {
        replayed++;
      } else if (firstConflict < 0) {
        firstConflict = i;
      }
    }
    if (writable == n) {
      return writeAll(writes, decisions);
    }
    if (replayed == n) {
      List<Long> revisions = new ArrayList<>(n);
      long position = -1;
      for (int i = 0; i < n; i++) {
        long last = ((CommitCheck.Decision.AlreadyWritten) decisions[i]).lastRevision();
        revisions.add(last);
        position = Math.max(position, index.state(writes.get(i).stream()).at(last).position());
      }
      return new MultiWriteResult.Written(revisions, position, true);
    }
    if (replayed == 0) {
      return new MultiWriteResult.Conflict(firstConflict, currentOf(decisions[firstConflict]));
    }
    return new MultiWriteResult.PartialReplay(firstOther, currentOf(decisions[firstOther]));
  }

  private long currentOf(CommitCheck.Decision decision) {
    if (decision instanceof CommitCheck.Decision.WrongExpectedVersion wrong) {
      return wrong.currentVersion();
    }
    if (decision instanceof CommitCheck.Decision.CorruptedIdempotency corrupted) {
      return corrupted.currentVersion();
    }
    if (decision instanceof CommitCheck.Decision.Write write) {
      return write.currentVersion();
    }
    return ((CommitCheck.Decision.AlreadyWritten) decision).lastRevision();
  }

  private MultiWriteResult writeAll(List<StreamWrite> writes, CommitCheck.Decision[] decisions) {
    List<Pending> pending = new ArrayList<>();
    boolean[] undeleteOriginal = new boolean[writes.size()];
    for (int i = 0; i < writes.size(); i++) {
      StreamWrite write = writes.get(i);
      long current = ((CommitCheck.Decision.Write) decisions[i]).currentVersion();
      String stream = write.stream();
      undeleteOriginal[i] =
          SystemNames.isMetastream(stream)
              && index.softDeleted(SystemNames.originalStreamOf(stream));
      for (int e = 0; e < write.events().size(); e++) {
        pending.add(new Pending(stream, current + 1 + e, write.events().get(e)));
      }
    }
    List<EventRecord> written = commit(pending);
    List<Long> revisions = new ArrayList<>(writes.size());
    for (int i = 0; i < writes.size(); i++) {
      StreamWrite write = writes.get(i);
      CommitCheck.Decision.Write decision = (CommitCheck.Decision.Write) decisions[i];
      revisions.add(decision.currentVersion() + write.events().size());
      if (decision.softDeleted()) {
        softUndelete(write.stream(), decision.currentVersion() + 1);
      }
      if (undeleteOriginal[i]) {
        String original = SystemNames.originalStreamOf(write.stream());
        softUndelete(original, index.lastRevisionOf(original) + 1);
      }
    }
    project(written);
    return new MultiWriteResult.Written(
        revisions, written.get(written.size() - 1).position(), false);
  }

  /** Soft delete: the stream reads as not found until it is written to again. */
  public WriteResult softDelete(String stream, long expected) {
    WriteResult result;
    lock.writeLock().lock();
    try {
      result = deleteLocked(stream, expected, false);
    } finally {
      lock.writeLock().unlock();
    }
    durable();
    notifyListeners();
    return result;
  }

  /** Tombstone (hard delete): the stream can never be written to again. */
  public WriteResult tombstone(String stream, long expected) {
    WriteResult result;
    lock.writeLock().lock();
    try {
      result = deleteLocked(stream, expected, true);
    } finally {
      lock.writeLock().unlock();
    }
    durable();
    notifyListeners();
    return result;
  }

  private WriteResult deleteLocked(String stream, long expected, boolean hard) {
    long current = index.currentVersion(stream);
    if (current == SystemNames.DELETED_STREAM) {
      return new WriteResult.StreamDeleted();
    }
    if (!hard && !index.hasEvents(stream)) {
      return new WriteResult.WrongExpectedVersion(current);
    }
    CommitCheck.Decision decision =
        CommitCheck.check(index, stream, expected, List.of(UUID.randomUUID()));
    if (decision instanceof CommitCheck.Decision.Deleted) {
      return new WriteResult.StreamDeleted();
    }
    if (decision instanceof CommitCheck.Decision.WrongExpectedVersion wrong) {
      return new WriteResult.WrongExpectedVersion(wrong.currentVersion());
    }
    Pending record =
        hard
            ? new Pending(
                stream,
                SystemNames.DELETED_STREAM,
                new NewEvent(
                    UUID.randomUUID(),
                    SystemNames.TOMBSTONE_EVENT,
                    false,
                    new byte[0],
                    new byte[0]))
            : metadataEvent(stream, StreamMetadata.softDelete());
    EventRecord written = commit(List.of(record)).get(0);
    return new WriteResult.Success(current, written.position());
  }

  public StreamRead readStream(
      String stream, long from, long maxCount, boolean forwards, boolean resolveLinks) {
    lock.readLock().lock();
    try {
      return index.readStream(stream, from, maxCount, forwards, resolveLinks, now());
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * A page of {@code $all}, forwards from {@code from} (inclusive) or backwards before it; a page
   * may hold fewer than {@code maxCount} records before the end (see {@link AllPage#next()}).
   */
  public AllPage readAll(
      long from,
      int maxCount,
      boolean forwards,
      Predicate<EventRecord> filter,
      boolean resolveLinks) {
    lock.readLock().lock();
    try {
      return index.readAll(from, maxCount, forwards, filter, resolveLinks, SCAN_LIMIT, now());
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * The next events of a stream from {@code fromRevision}, for a subscription. While catching up
   * the stream reads as a read would (metadata honoured, a tombstoned stream is an error); once
   * live, every new event is passed on and a tombstone is delivered before the end.
   */
  public StreamPage followStream(
      String stream, long fromRevision, int maxCount, boolean catchingUp, boolean resolveLinks) {
    lock.readLock().lock();
    try {
      StreamState state = index.state(stream);
      if (state == null) {
        return new StreamPage(List.of(), false);
      }
      if (catchingUp && state.tombstone != null) {
        return new StreamPage(List.of(), true);
      }
      long from = fromRevision;
      if (catchingUp) {
        if (index.metadataOf(stream).softDeleted()) {
          return new StreamPage(List.of(), false);
        }
        from = Math.max(from, index.firstVisible(stream, state, now()));
      }
      List<ResolvedRecord> events = new ArrayList<>();
      for (long r = from; r <= state.lastRevision() && events.size() < maxCount; r++) {
        events.add(index.resolve(state.at(r), resolveLinks, now()));
      }
      if (events.isEmpty() && state.tombstone != null) {
        return new StreamPage(List.of(ResolvedRecord.of(state.tombstone)), true);
      }
      return new StreamPage(events, false);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The stream's last revision; -1 when it has none. */
  public long lastRevision(String stream) {
    lock.readLock().lock();
    try {
      return index.lastRevisionOf(stream);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** A position after every record written so far, before every record written later. */
  public long endPosition() {
    lock.readLock().lock();
    try {
      return nextPosition;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Calls {@code listener} after every write; closing the handle stops it. */
  public AutoCloseable onCommit(Runnable listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
  }

  @Override
  public void close() {
    if (file != null) {
      lock.writeLock().lock();
      try {
        file.close();
      } finally {
        lock.writeLock().unlock();
      }
    }
  }

  private List<EventRecord> commit(List<Pending> pending) {
    long created = EventRecord.ticks(options.clock().instant());
    List<EventRecord> records = new ArrayList<>(pending.size());
    long position = nextPosition;
    for (Pending p : pending) {
      NewEvent e = p.event();
      records.add(
          new EventRecord(
              position,
              p.stream(),
              p.revision(),
              e.id(),
              e.type(),
              e.json(),
              e.data(),
              e.metadata(),
              created));
      position += LogCodec.size(p.stream(), e.type(), e.data().length, e.metadata().length);
    }
    if (file != null) {
      file.write(records, position - nextPosition);
    }
    nextPosition = position;
    for (EventRecord record : records) {
      index.apply(record);
      index.remember(record);
    }
    return records;
  }

  private void softUndelete(String stream, long recreateFrom) {
    byte[] raw = index.rawMetadata(stream);
    if (raw == null) {
      return;
    }
    StreamMetadata.withTruncateBefore(raw, recreateFrom)
        .ifPresent(meta -> commit(List.of(metadataEvent(stream, meta))));
  }

  private Pending metadataEvent(String stream, byte[] data) {
    String metastream = SystemNames.metastreamOf(stream);
    return new Pending(
        metastream,
        index.lastRevisionOf(metastream) + 1,
        new NewEvent(UUID.randomUUID(), SystemNames.METADATA_EVENT, true, data, new byte[0]));
  }

  private void project(List<EventRecord> written) {
    if (!options.projections()) {
      return;
    }
    Map<String, Long> next = new HashMap<>();
    List<Pending> links = new ArrayList<>();
    for (EventRecord record : written) {
      for (SystemProjections.Link link : SystemProjections.linksFor(record)) {
        if (index.currentVersion(link.stream()) == SystemNames.DELETED_STREAM) {
          continue;
        }
        long revision = next.computeIfAbsent(link.stream(), s -> index.lastRevisionOf(s) + 1);
        next.put(link.stream(), revision + 1);
        links.add(new Pending(link.stream(), revision, link.event()));
      }
    }
    if (!links.isEmpty()) {
      commit(links);
    }
  }

  private long now() {
    return EventRecord.ticks(options.clock().instant());
  }

  /** With fsync, waits until what this thread wrote is on disk (shared with concurrent writers). */
  private void durable() {
    if (file != null) {
      file.sync();
    }
  }

  private void notifyListeners() {
    for (Runnable listener : listeners) {
      listener.run();
    }
  }
}
