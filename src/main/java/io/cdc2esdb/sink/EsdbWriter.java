package io.cdc2esdb.sink;

import com.eventstore.dbclient.AppendToStreamOptions;
import com.eventstore.dbclient.EventData;
import com.eventstore.dbclient.EventDataBuilder;
import com.eventstore.dbclient.EventStoreDBClient;
import com.eventstore.dbclient.EventStoreDBConnectionString;
import com.eventstore.dbclient.ExpectedRevision;
import com.eventstore.dbclient.NotLeaderException;
import com.eventstore.dbclient.ReadStreamOptions;
import com.eventstore.dbclient.ResolvedEvent;
import com.eventstore.dbclient.StreamNotFoundException;
import com.eventstore.dbclient.WrongExpectedVersionException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The {@link EventStoreWriter} on the real EventStoreDB client ({@code db-client-java}): a thin
 * translation of the port onto {@code appendToStream} / {@code readStream} and of the client's
 * answers and exceptions onto {@link AppendResult} and the port's exceptions. Retries, splitting
 * and reconciliation are {@link BatchAppender}'s.
 *
 * <p>The client adds {@code $traceId} and {@code $spanId} to JSON metadata, so an append split to
 * fit {@link #maxAppendBytes()} can still exceed the server's limit by ~90 bytes per event; the
 * server then refuses it and {@link BatchAppender} retries its events one by one.
 */
public final class EsdbWriter implements EventStoreWriter {

  private final EventStoreDBClient client;
  private final long deadlineMs;
  private final long maxAppendBytes;

  private EsdbWriter(EventStoreDBClient client, long deadlineMs, long maxAppendBytes) {
    this.client = client;
    this.deadlineMs = deadlineMs;
    this.maxAppendBytes = maxAppendBytes;
  }

  /**
   * Connects to EventStoreDB. The connection string may hold credentials: it appears in no message.
   *
   * @throws IllegalArgumentException when the connection string cannot be parsed
   */
  public static EsdbWriter connect(String connectionString, long deadlineMs, long maxAppendBytes) {
    try {
      return new EsdbWriter(
          EventStoreDBClient.create(EventStoreDBConnectionString.parseOrThrow(connectionString)),
          deadlineMs,
          maxAppendBytes);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("invalid EventStoreDB connection string", null);
    }
  }

  @Override
  public CompletableFuture<AppendResult> append(AppendRequest request) {
    AppendToStreamOptions options =
        AppendToStreamOptions.get()
            .expectedRevision(
                request.expectedRevision() == AppendRequest.NO_STREAM
                    ? ExpectedRevision.noStream()
                    : ExpectedRevision.expectedRevision(request.expectedRevision()))
            .deadline(deadlineMs);
    List<EventData> events = new ArrayList<>(request.events().size());
    for (ProposedEvent e : request.events()) {
      events.add(
          EventDataBuilder.json(e.id(), e.type(), e.data()).metadataAsBytes(e.metadata()).build());
    }
    return client
        .appendToStream(request.stream(), options, events.iterator())
        .handle(
            (result, error) -> {
              if (error == null) {
                return (AppendResult)
                    new AppendResult.Success(result.getNextExpectedRevision().toRawLong());
              }
              Throwable cause = BatchAppender.unwrap(error);
              if (cause instanceof WrongExpectedVersionException wrong) {
                return new AppendResult.WrongExpectedVersion(
                    request.expectedRevision(), wrong.getActualVersion().toRawLong());
              }
              if (cause instanceof com.eventstore.dbclient.StreamDeletedException) {
                return new AppendResult.StreamDeleted(request.stream());
              }
              if (cause instanceof StatusRuntimeException status
                  && (status.getStatus().getCode() == Status.Code.INVALID_ARGUMENT
                      || status.getStatus().getCode() == Status.Code.PERMISSION_DENIED)) {
                return new AppendResult.Rejected(status.getStatus().getDescription());
              }
              throw classify(request.stream(), cause);
            });
  }

  @Override
  public CompletableFuture<List<StoredEvent>> read(String stream, long fromRevision, int maxCount) {
    ReadStreamOptions options =
        ReadStreamOptions.get().forwards().fromRevision(fromRevision).maxCount(maxCount);
    options.deadline(deadlineMs);
    return client
        .readStream(stream, options)
        .handle(
            (result, error) -> {
              if (error == null) {
                List<StoredEvent> events = new ArrayList<>();
                for (ResolvedEvent resolved : result.getEvents()) {
                  var e = resolved.getOriginalEvent();
                  events.add(
                      new StoredEvent(stream, e.getRevision(), e.getEventId(), e.getEventType()));
                }
                return events;
              }
              Throwable cause = BatchAppender.unwrap(error);
              if (cause instanceof StreamNotFoundException) {
                return List.of();
              }
              if (cause instanceof com.eventstore.dbclient.StreamDeletedException
                  || (cause instanceof StatusRuntimeException s
                      && s.getStatus().getCode() == Status.Code.FAILED_PRECONDITION)) {
                throw new StreamDeletedException(stream);
              }
              throw classify(stream, cause);
            });
  }

  private static RuntimeException classify(String stream, Throwable cause) {
    if (cause instanceof NotLeaderException
        || (cause instanceof StatusRuntimeException s && isTransient(s.getStatus().getCode()))) {
      return new EventStoreUnavailableException(
          "EventStoreDB unavailable for stream '" + stream + "': " + cause.getMessage(), cause);
    }
    return new EventStoreException(
        "EventStoreDB call for stream '" + stream + "' failed: " + cause, cause);
  }

  private static boolean isTransient(Status.Code code) {
    return code == Status.Code.UNAVAILABLE
        || code == Status.Code.DEADLINE_EXCEEDED
        || code == Status.Code.ABORTED
        || code == Status.Code.RESOURCE_EXHAUSTED;
  }

  @Override
  public long maxAppendBytes() {
    return maxAppendBytes;
  }

  @Override
  public void close() {
    client.shutdown();
  }
}
