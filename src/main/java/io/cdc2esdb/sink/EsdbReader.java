package io.cdc2esdb.sink;

import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.Position;
import com.eventstore.dbclient.ReadAllOptions;
import com.eventstore.dbclient.ReadResult;
import com.eventstore.dbclient.ReadStreamOptions;
import com.eventstore.dbclient.RecordedEvent;
import com.eventstore.dbclient.ResolvedEvent;
import com.eventstore.dbclient.StreamNotFoundException;
import com.eventstore.dbclient.SubscribeToAllOptions;
import com.eventstore.dbclient.SubscribeToStreamOptions;
import com.eventstore.dbclient.Subscription;
import com.eventstore.dbclient.SubscriptionListener;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Reads back what was written, through the real client: which streams exist, and their events with
 * data and metadata. The demo's summary and the end-to-end tests use it; the pipeline never reads
 * through it. {@link #streams()} and {@link #read(String)} are whole reads, meant for demo-sized
 * stores; {@code verify} and {@code read} page through any store with {@link #page} and {@link
 * #allPage}, and {@link #follow} subscribes.
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
    return events(result.getEvents());
  }

  /**
   * Up to {@code maxCount} events of {@code stream} from {@code fromRevision} on, in revision
   * order; empty when the stream does not exist or has nothing there. With {@code resolveLinks} a
   * link reads as the event it points to (and a link to a deleted event is left out).
   */
  public List<ReadEvent> page(
      String stream, long fromRevision, int maxCount, boolean resolveLinks) {
    ReadStreamOptions options =
        ReadStreamOptions.get()
            .forwards()
            .fromRevision(fromRevision)
            .maxCount(maxCount)
            .resolveLinkTos(resolveLinks);
    options.deadline(deadlineMs);
    try {
      return events(await(client.readStream(stream, options), stream).getEvents());
    } catch (StreamNotFoundException e) {
      return List.of();
    }
  }

  /** Where a read of {@code $all} goes on from (exclusive); {@link #START} is before everything. */
  public record AllCursor(long commit, long prepare) {
    public static final AllCursor START = new AllCursor(-1, -1);
  }

  /** One page of {@code $all}: its events (system streams included) and where the next starts. */
  public record AllPage(List<ReadEvent> events, AllCursor next, boolean end) {}

  /** Up to {@code maxCount} events of {@code $all} after {@code after}, links not resolved. */
  public AllPage allPage(AllCursor after, int maxCount) {
    boolean fromStart = after.equals(AllCursor.START);
    ReadAllOptions options = ReadAllOptions.get().forwards().maxCount(maxCount + 1L);
    options = fromStart ? options.fromStart() : options.fromPosition(position(after));
    options.notResolveLinkTos().deadline(deadlineMs);
    List<ReadEvent> events = new ArrayList<>();
    AllCursor last = after;
    int read = 0;
    for (ResolvedEvent resolved : await(client.readAll(options), "$all").getEvents()) {
      read++;
      AllCursor at =
          resolved
              .getPosition()
              .map(p -> new AllCursor(p.getCommitUnsigned(), p.getPrepareUnsigned()))
              .orElse(last);
      if (!fromStart && at.equals(after)) {
        continue; // a page starts at its cursor, which the previous page ended with
      }
      RecordedEvent e = resolved.getOriginalEvent();
      events.add(readEvent(e));
      last = at;
    }
    return new AllPage(events, last, read <= maxCount);
  }

  private static Position position(AllCursor cursor) {
    return new Position(cursor.commit(), cursor.prepare());
  }

  /**
   * Calls {@code onEvent} for every event of {@code stream} ({@code $all} for every stream) from
   * the start, then for each new one, until the returned handle is closed. Links are resolved.
   * {@code onError} hears when the subscription ends other than by closing.
   */
  public AutoCloseable follow(
      String stream, Consumer<ReadEvent> onEvent, Consumer<Throwable> onError) {
    SubscriptionListener listener =
        new SubscriptionListener() {
          @Override
          public void onEvent(Subscription subscription, ResolvedEvent event) {
            RecordedEvent e = event.getEvent() != null ? event.getEvent() : event.getLink();
            if (e != null) {
              onEvent.accept(readEvent(e));
            }
          }

          @Override
          public void onCancelled(Subscription subscription, Throwable error) {
            if (error != null) {
              onError.accept(error);
            }
          }
        };
    Subscription subscription =
        "$all".equals(stream)
            ? await(
                client.subscribeToAll(
                    listener, SubscribeToAllOptions.get().fromStart().resolveLinkTos()),
                stream)
            : await(
                client.subscribeToStream(
                    stream, listener, SubscribeToStreamOptions.get().fromStart().resolveLinkTos()),
                stream);
    return subscription::stop;
  }

  private static List<ReadEvent> events(List<ResolvedEvent> resolvedEvents) {
    List<ReadEvent> events = new ArrayList<>(resolvedEvents.size());
    for (ResolvedEvent resolved : resolvedEvents) {
      RecordedEvent e = resolved.getEvent();
      if (e != null) {
        events.add(readEvent(e));
      }
    }
    return events;
  }

  private static ReadEvent readEvent(RecordedEvent e) {
    return new ReadEvent(
        e.getStreamId(),
        e.getRevision(),
        e.getEventType(),
        e.getEventId(),
        e.getEventData(),
        e.getUserMetadata());
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
