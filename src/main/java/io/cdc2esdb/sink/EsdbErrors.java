package io.cdc2esdb.sink;

import com.eventstore.dbclient.ConnectionShutdownException;
import com.eventstore.dbclient.ExpectedRevision;
import com.eventstore.dbclient.NoClusterNodeFoundException;
import com.eventstore.dbclient.NotLeaderException;
import com.eventstore.dbclient.StreamNotFoundException;
import com.eventstore.dbclient.WrongExpectedVersionException;
import com.eventstore.dbclient.proto.shared.Shared;
import com.google.protobuf.Any;
import com.google.protobuf.Empty;
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * How the client's outcomes map onto the port's contract: the server's answers become {@link
 * AppendResult}s, failures that may heal become {@link EventStoreUnavailableException}, the rest
 * {@link EventStoreException}. Messages name the stream and the server's words, never credentials.
 */
final class EsdbErrors {

  private static final Metadata.Key<String> EXCEPTION =
      Metadata.Key.of("exception", Metadata.ASCII_STRING_MARSHALLER);

  private EsdbErrors() {}

  /** The answer an append failed with, or throws the failure the port reports exceptionally. */
  static AppendResult appendResult(AppendRequest request, Throwable error) {
    Throwable cause = unwrap(error);
    if (cause instanceof WrongExpectedVersionException wrong) {
      return new AppendResult.WrongExpectedVersion(
          request.expectedRevision(), revision(wrong.getActualVersion()));
    }
    if (cause instanceof com.eventstore.dbclient.StreamDeletedException) {
      return new AppendResult.StreamDeleted(request.stream());
    }
    if (cause instanceof StatusRuntimeException status) {
      Status.Code code = status.getStatus().getCode();
      if (code == Status.Code.INVALID_ARGUMENT
          || code == Status.Code.PERMISSION_DENIED
          || code == Status.Code.RESOURCE_EXHAUSTED) {
        return new AppendResult.Rejected(describe(status));
      }
      if (isStreamDeleted(status)) {
        return new AppendResult.StreamDeleted(request.stream());
      }
    }
    throw failure("append to '" + request.stream() + "'", cause);
  }

  /**
   * The answer a {@code Streams/BatchAppend} error status stands for: the same {@link
   * AppendResult}s and failures as {@link #appendResult} gives for the same server answer over
   * {@code Streams/Append}. The status's details name the error; without known details its code
   * decides, as for a call's status.
   */
  static AppendResult batchAppendResult(AppendRequest request, com.google.rpc.Status error) {
    String operation = "append to '" + request.stream() + "'";
    String described =
        Status.fromCodeValue(error.getCode()).getCode()
            + ": "
            + EsdbConnectionString.redact(error.getMessage());
    if (error.getDetailsCount() > 0) {
      Any details = error.getDetails(0);
      try {
        if (details.is(Shared.WrongExpectedVersion.class)) {
          Shared.WrongExpectedVersion wrong = details.unpack(Shared.WrongExpectedVersion.class);
          return new AppendResult.WrongExpectedVersion(
              request.expectedRevision(),
              wrong.hasCurrentNoStream()
                  ? AppendRequest.NO_STREAM
                  : wrong.getCurrentStreamRevision());
        }
        if (details.is(Shared.StreamDeleted.class)) {
          return new AppendResult.StreamDeleted(request.stream());
        }
        if (details.is(Shared.MaximumAppendSizeExceeded.class)) {
          return new AppendResult.Rejected(
              described
                  + " (maximum append size "
                  + details.unpack(Shared.MaximumAppendSizeExceeded.class).getMaxAppendSize()
                  + ")");
        }
        if (details.is(Shared.BadRequest.class)) {
          return new AppendResult.Rejected(
              described + " (" + details.unpack(Shared.BadRequest.class).getMessage() + ")");
        }
        if (details.is(Shared.AccessDenied.class)) {
          return new AppendResult.Rejected(described);
        }
        if (details.is(Shared.Timeout.class)
            || details.is(Empty.class)
            || details.is(Shared.Empty.class)) {
          // A commit timeout, or the server not ready / too busy.
          throw new EventStoreUnavailableException(
              operation + " failed, EventStoreDB unavailable: " + described, null);
        }
      } catch (InvalidProtocolBufferException e) {
        throw new EventStoreException(operation + " failed: unreadable " + described, e);
      }
    }
    return appendResult(
        request,
        Status.fromCodeValue(error.getCode())
            .withDescription(error.getMessage())
            .asRuntimeException());
  }

  /** The failure a read reports; a missing stream is not one (see {@link #isNotFound}). */
  static EventStoreException readFailure(String stream, Throwable error) {
    Throwable cause = unwrap(error);
    if (cause instanceof StatusRuntimeException status && isStreamDeleted(status)) {
      return new StreamDeletedException(stream);
    }
    if (cause instanceof com.eventstore.dbclient.StreamDeletedException) {
      return new StreamDeletedException(stream);
    }
    return failure("read of '" + stream + "'", cause);
  }

  static boolean isNotFound(Throwable error) {
    return unwrap(error) instanceof StreamNotFoundException;
  }

  /** Transient or not, as the port defines it. */
  static EventStoreException failure(String operation, Throwable cause) {
    if (cause instanceof EventStoreException known) {
      return known;
    }
    if (isTransient(cause)) {
      return new EventStoreUnavailableException(
          operation + " failed, EventStoreDB unavailable: " + describe(cause), cause);
    }
    return new EventStoreException(operation + " failed: " + describe(cause), cause);
  }

  static boolean isTransient(Throwable cause) {
    if (cause instanceof NotLeaderException
        || cause instanceof NoClusterNodeFoundException
        || cause instanceof TimeoutException) {
      return true;
    }
    if (cause instanceof ConnectionShutdownException) {
      return false;
    }
    if (cause instanceof StatusRuntimeException status) {
      return switch (status.getStatus().getCode()) {
        case UNAVAILABLE, DEADLINE_EXCEEDED, ABORTED, CANCELLED -> true;
        // Not the leader, as the server says it without the client's mapping (the gRPC writer).
        case NOT_FOUND ->
            status.getTrailers() != null
                && "not-leader".equals(status.getTrailers().get(EXCEPTION));
        default -> false;
      };
    }
    return false;
  }

  static Throwable unwrap(Throwable error) {
    Throwable current = error;
    while ((current instanceof CompletionException || current instanceof ExecutionException)
        && current.getCause() != null) {
      current = current.getCause();
    }
    return current;
  }

  private static boolean isStreamDeleted(StatusRuntimeException status) {
    Metadata trailers = status.getTrailers();
    return status.getStatus().getCode() == Status.Code.FAILED_PRECONDITION
        && trailers != null
        && "stream-deleted".equals(trailers.get(EXCEPTION));
  }

  private static long revision(ExpectedRevision revision) {
    long raw = revision.toRawLong();
    return raw < 0 ? AppendRequest.NO_STREAM : raw;
  }

  private static String describe(Throwable cause) {
    if (cause instanceof StatusRuntimeException status) {
      Metadata trailers = status.getTrailers();
      String exception = trailers == null ? null : trailers.get(EXCEPTION);
      String description = status.getStatus().getDescription();
      return status.getStatus().getCode()
          + (description == null ? "" : ": " + EsdbConnectionString.redact(description))
          + (exception == null ? "" : " (" + exception + ")");
    }
    return cause.getClass().getSimpleName()
        + (cause.getMessage() == null
            ? ""
            : ": " + EsdbConnectionString.redact(cause.getMessage()));
  }
}
