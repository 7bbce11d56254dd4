package io.cdc2esdb.sink;

import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.ReadAllOptions;
import com.eventstore.dbclient.ReadResult;
import com.eventstore.dbclient.ReadStreamOptions;
import com.eventstore.dbclient.RecordedEvent;
import com.eventstore.dbclient.ResolvedEvent;
import com.eventstore.dbclient.StreamNotFoundException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads back what was written, through the real client: which streams exist, and their events with
 * data and metadata. The demo's summary and the end-to-end tests use it; the pipeline never reads
 * through it. Reads are whole (no paging): meant for demo-sized stores.
 */
public final class EsdbReader implements AutoCloseable {

  private final EventStoreDBClient client;
  private final long deadlineMs;

  private EsdbReader(EventStoreDBClient client, long deadlineMs) {
    this.client = client;
    this.deadlineMs = deadlineMs;
  }

  /**
   * @throws IllegalArgumentException when the connection string cannot be parsed (password masked)
   */
  public static EsdbReader connect(String connectionString, long deadlineMs) {
    return new EsdbReader(
        EventStoreDBClient.create(EsdbConnectionString.parse(connectionString)), deadlineMs);
  }

  /**
   * Every stream that is not a system stream ({@code $…}) and has events, in the order of its first
   * event in {@code $all}.
   */
  public List<String> streams() {
    ReadAllOptions options = ReadAllOptions.get().forwards().fromStart().notResolveLinkTos();
    options.deadline(deadlineMs);
    Set<String> streams = new LinkedHashSet<>();
    for (ResolvedEvent event : await(client.readAll(options), "$all").getEvents()) {
      String stream = event.getOriginalEvent().getStreamId();
      if (!stream.startsWith("$")) {
        streams.add(stream);
      }
    }
    return new ArrayList<>(streams);
  }

  /**
   * Every event of {@code stream} in revision order; empty when the stream does not exist. Links
   * are resolved, so {@code $ce-customers} reads as the customers' events themselves.
   */
  public List<ReadEvent> read(String stream) {
    ReadStreamOptions options = ReadStreamOptions.get().forwards().fromStart().resolveLinkTos();
    options.deadline(deadlineMs);
    ReadResult result;
    try {
      result = await(client.readStream(stream, options), stream);
    } catch (StreamNotFoundException e) {
      return List.of();
    }
    List<ReadEvent> events = new ArrayList<>(result.getEvents().size());
    for (ResolvedEvent resolved : result.getEvents()) {
      RecordedEvent e = resolved.getEvent();
      if (e != null) { // a link whose event is gone (deleted or truncated) resolves to nothing
        events.add(
            new ReadEvent(
                e.getStreamId(),
                e.getRevision(),
                e.getEventType(),
                e.getEventId(),
                e.getEventData(),
                e.getUserMetadata()));
      }
    }
    return events;
  }

  private <T> T await(CompletableFuture<T> call, String what) {
    try {
      return call.get(deadlineMs + 1_000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      Throwable cause = BatchAppender.unwrap(e.getCause());
      if (cause instanceof StreamNotFoundException notFound) {
        throw notFound;
      }
      throw new EventStoreException("reading " + what + " failed: " + cause, cause);
    } catch (TimeoutException e) {
      throw new EventStoreUnavailableException("reading " + what + " timed out", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EventStoreException("interrupted while reading " + what, e);
    }
  }

  @Override
  public void close() {
    client.shutdown();
  }
}
