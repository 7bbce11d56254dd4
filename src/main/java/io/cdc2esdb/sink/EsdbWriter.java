package io.cdc2esdb.sink;

import com.eventstore.dbclient.AppendToStreamOptions;
import com.eventstore.dbclient.ConnectionShutdownException;
import com.eventstore.dbclient.EventData;
import com.eventstore.dbclient.EventDataBuilder;
import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.EventStoreDBClientSettings;
import com.eventstore.dbclient.ExpectedRevision;
import com.eventstore.dbclient.ReadStreamOptions;
import com.eventstore.dbclient.RecordedEvent;
import com.eventstore.dbclient.ResolvedEvent;
import io.cdc2esdb.event.ProposedEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link EventStoreWriter} on the real client, {@code com.eventstore:db-client-java}: one
 * {@code appendToStream} per {@link AppendRequest}, with the exact expected revision ({@code
 * no_stream} or the stream's last revision, never {@code any}), the request's event ids, JSON
 * content type, and a deadline; the client's results and exceptions mapped onto the port's contract
 * (see {@link EsdbErrors}). Retrying, splitting and reconciling are {@link BatchAppender}'s job.
 *
 * <p>Size: the client adds {@code "$traceId"} and {@code "$spanId"} to every event's metadata that
 * is a JSON object (all of cdc2esdb's is), which the server counts against its append limit; {@link
 * #appendSize} includes that, {@link #TRACE_METADATA_BYTES} per event.
 *
 * <p>Outages: the client gives up for good when it cannot (re)connect within its discovery attempts
 * (3 tries, 500 ms apart, by default) and answers every later call with {@link
 * ConnectionShutdownException}. The writer then replaces it with a fresh client and reports the
 * call as {@link EventStoreUnavailableException}, so an outage of any length is a transient failure
 * that ends when the server is back.
 *
 * <p>Threads: the client runs its own asynchronous steps on {@code CompletableFuture}'s default
 * executor (see {@link EsdbCommonPool}); the futures this writer returns complete on a small pool
 * of its own when {@link Settings#callbackThreads()} is positive, otherwise on the client's thread.
 */
public final class EsdbWriter implements EventStoreWriter {

  /**
   * What the client adds to JSON-object metadata: {@code ,"$traceId":"<32 hex>","$spanId":"<16
   * hex>"} is 75 bytes; an empty object grows by 74. Rounded up to leave room for re-serialisation.
   */
  public static final int TRACE_METADATA_BYTES = 80;

  /**
   * How the writer talks to the server. {@code deadline}: for every call (the client enforces it on
   * appends; reads, which the client streams without one, are abandoned after it as well); {@code
   * maxAppendBytes}: the server's {@code MaxAppendSize}; {@code callbackThreads}: threads
   * completing the returned futures (0: the client's own threads).
   */
  public record Settings(Duration deadline, long maxAppendBytes, int callbackThreads) {

    public Settings {
      if (deadline.isNegative() || deadline.isZero()) {
        throw new IllegalArgumentException("deadline must be positive, was " + deadline);
      }
      if (maxAppendBytes <= TRACE_METADATA_BYTES) {
        throw new IllegalArgumentException("maxAppendBytes too small: " + maxAppendBytes);
      }
      if (callbackThreads < 0) {
        throw new IllegalArgumentException("callbackThreads must be >= 0");
      }
    }

    /**
     * 10 s deadline (the client's default), 1 MiB appends, 2 callback threads (see {@code
     * bench/writer-benchmark.md}).
     */
    public static Settings defaults() {
      return new Settings(Duration.ofSeconds(10), ProposedEvent.DEFAULT_MAX_APPEND_BYTES, 2);
    }

    public Settings withDeadline(Duration value) {
      return new Settings(value, maxAppendBytes, callbackThreads);
    }

    public Settings withMaxAppendBytes(long value) {
      return new Settings(deadline, value, callbackThreads);
    }

    public Settings withCallbackThreads(int value) {
      return new Settings(deadline, maxAppendBytes, value);
    }
  }

  private static final Logger log = LoggerFactory.getLogger(EsdbWriter.class);

  private final EventStoreDBClientSettings clientSettings;
  private final AtomicReference<EventStoreDBClient> client;
  private final Settings settings;
  private final String target;
  private final ExecutorService callbacks;
  private volatile boolean closed;

  private EsdbWriter(EventStoreDBClientSettings clientSettings, Settings settings, String target) {
    this.clientSettings = clientSettings;
    this.client = new AtomicReference<>(EventStoreDBClient.create(clientSettings));
    this.settings = settings;
    this.target = target;
    this.callbacks =
        settings.callbackThreads() == 0
            ? null
            : Executors.newFixedThreadPool(settings.callbackThreads(), callbackThreads());
  }

  /**
   * A writer for the server(s) in {@code connectionString}: {@code esdb://[user:password@]host:port
   * [,host:port...][?tls=true|false&...]} or {@code esdb+discover://...}. Connects lazily, on the
   * first call.
   *
   * @throws IllegalArgumentException if the connection string is invalid (its password masked)
   */
  public static EsdbWriter connect(String connectionString, long deadlineMs, long maxAppendBytes) {
    return connect(
        connectionString,
        Settings.defaults()
            .withDeadline(Duration.ofMillis(deadlineMs))
            .withMaxAppendBytes(maxAppendBytes));
  }

  /** As {@link #connect(String, long, long)}, with every setting given. */
  public static EsdbWriter connect(String connectionString, Settings settings) {
    EsdbWriter writer =
        new EsdbWriter(
            EsdbConnectionString.parse(connectionString),
            settings,
            EsdbConnectionString.redact(connectionString));
    if (EsdbCommonPool.churnsThreads()) {
      log.warn(
          "The common ForkJoinPool has parallelism {}: the EventStoreDB client will start a thread"
              + " for every asynchronous step. Start the JVM with -D{}={} to avoid that.",
          ForkJoinPool.getCommonPoolParallelism(),
          EsdbCommonPool.PARALLELISM_PROPERTY,
          EsdbCommonPool.RECOMMENDED_PARALLELISM);
    }
    log.info("EventStoreDB writer for {}", writer.target);
    return writer;
  }

  @Override
  public CompletableFuture<AppendResult> append(AppendRequest request) {
    CompletableFuture<AppendResult> result = new CompletableFuture<>();
    try {
      List<EventData> events = new ArrayList<>(request.events().size());
      for (ProposedEvent event : request.events()) {
        events.add(
            EventDataBuilder.json(event.id(), event.type(), event.data())
                .metadataAsBytes(event.metadata())
                .build());
      }
      ExpectedRevision expected =
          request.expectedRevision() == AppendRequest.NO_STREAM
              ? ExpectedRevision.noStream()
              : ExpectedRevision.expectedRevision(request.expectedRevision());
      AppendToStreamOptions options =
          AppendToStreamOptions.get()
              .expectedRevision(expected)
              .deadline(settings.deadline().toMillis());
      EventStoreDBClient used = client.get();
      used.appendToStream(request.stream(), options, events.iterator())
          .orTimeout(overallTimeoutMillis(), TimeUnit.MILLISECONDS)
          .whenComplete(
              (written, error) -> {
                try {
                  result.complete(
                      error == null
                          ? new AppendResult.Success(written.getNextExpectedRevision().toRawLong())
                          : EsdbErrors.appendResult(request, gaveUp(used, error)));
                } catch (EventStoreException failure) {
                  result.completeExceptionally(failure);
                }
              });
    } catch (RuntimeException e) {
      result.completeExceptionally(EsdbErrors.failure("append to '" + request.stream() + "'", e));
    }
    return onCallbackThreads(result);
  }

  @Override
  public CompletableFuture<List<StoredEvent>> read(String stream, long fromRevision, int maxCount) {
    CompletableFuture<List<StoredEvent>> result = new CompletableFuture<>();
    try {
      ReadStreamOptions options =
          ReadStreamOptions.get()
              .forwards()
              .fromRevision(fromRevision)
              .maxCount(maxCount)
              .notResolveLinkTos()
              .deadline(settings.deadline().toMillis());
      EventStoreDBClient used = client.get();
      used.readStream(stream, options)
          .orTimeout(overallTimeoutMillis(), TimeUnit.MILLISECONDS)
          .whenComplete(
              (read, error) -> {
                if (error == null) {
                  result.complete(stored(read.getEvents()));
                } else if (EsdbErrors.isNotFound(error)) {
                  result.complete(List.of());
                } else {
                  result.completeExceptionally(EsdbErrors.readFailure(stream, gaveUp(used, error)));
                }
              });
    } catch (RuntimeException e) {
      result.completeExceptionally(EsdbErrors.readFailure(stream, e));
    }
    return onCallbackThreads(result);
  }

  @Override
  public long maxAppendBytes() {
    return settings.maxAppendBytes();
  }

  /** The event's size as the server will count it once the client has added its trace ids. */
  @Override
  public long appendSize(ProposedEvent event) {
    return event.appendSize() + TRACE_METADATA_BYTES;
  }

  @Override
  public void close() {
    closed = true;
    try {
      client.get().shutdown().get(settings.deadline().toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      log.warn("Closing the EventStoreDB client for {} failed: {}", target, e.toString());
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
    } finally {
      if (callbacks != null) {
        callbacks.shutdown();
      }
    }
  }

  @Override
  public String toString() {
    return "EsdbWriter[" + target + "]";
  }

  /**
   * If {@code used} shut itself down (it could not reconnect in time), replaces it and returns a
   * transient failure in place of the error; otherwise returns the error as it is.
   */
  private Throwable gaveUp(EventStoreDBClient used, Throwable error) {
    if (closed || !(EsdbErrors.unwrap(error) instanceof ConnectionShutdownException)) {
      return error;
    }
    synchronized (client) {
      if (!closed && client.get() == used) {
        log.warn("The EventStoreDB client for {} gave up connecting; starting a new one", target);
        client.set(EventStoreDBClient.create(clientSettings));
        used.shutdown();
      }
    }
    return new EventStoreUnavailableException(
        "EventStoreDB at " + target + " could not be reached; the client was replaced", error);
  }

  /** The client's deadline plus a margin, for answers that never come (no connection at all). */
  private long overallTimeoutMillis() {
    return settings.deadline().toMillis() + 1_000;
  }

  private <T> CompletableFuture<T> onCallbackThreads(CompletableFuture<T> future) {
    return callbacks == null ? future : future.whenCompleteAsync((value, error) -> {}, callbacks);
  }

  private static List<StoredEvent> stored(List<ResolvedEvent> events) {
    List<StoredEvent> stored = new ArrayList<>(events.size());
    for (ResolvedEvent resolved : events) {
      RecordedEvent event = resolved.getOriginalEvent();
      stored.add(
          new StoredEvent(
              event.getStreamId(), event.getRevision(), event.getEventId(), event.getEventType()));
    }
    return stored;
  }

  private static ThreadFactory callbackThreads() {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, "esdb-writer-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
