package io.cdc2esdb.sink;

import com.google.protobuf.Any;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import com.google.rpc.ErrorInfo;
import io.grpc.Metadata;
import io.grpc.Status;
import io.kurrentdb.protocol.v2.streams.errors.StreamRevisionConflictErrorDetails;
import io.kurrentdb.protocol.v2.streams.errors.StreamTombstonedErrorDetails;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * How an {@code AppendSession} failure maps onto the port: the {@code google.rpc.Status} in the
 * trailers carries an {@code ErrorInfo} reason and a typed detail (see {@code
 * reference/kurrentdb-multi-stream-append.md} §1.3). A conflict or a tombstone is an answer; a
 * size, validation, duplicate-stream or permission error is a refusal; {@code INTERNAL} (what 25.1
 * to 26.0.2 answer to a partial replay) is inconclusive; the rest may heal and is reported as
 * {@link EventStoreUnavailableException}, or else thrown as {@link EventStoreException}.
 */
final class SessionErrors {

  private SessionErrors() {}

  static SessionResult result(Throwable error) {
    Throwable cause = EsdbErrors.unwrap(error);
    Status status = Status.fromThrowable(cause);
    List<Any> details = details(cause);
    String reason = reason(details);
    String text =
        status.getCode()
            + (reason == null ? "" : " " + reason)
            + (status.getDescription() == null ? "" : ": " + status.getDescription());
    if ("STREAM_REVISION_CONFLICT".equals(reason)) {
      StreamRevisionConflictErrorDetails conflict =
          detail(details, StreamRevisionConflictErrorDetails.class);
      if (conflict != null) {
        return new SessionResult.WrongExpectedVersion(
            conflict.getStream(), conflict.getExpectedRevision(), conflict.getActualRevision());
      }
      return new SessionResult.Inconclusive(text);
    }
    if ("STREAM_TOMBSTONED".equals(reason)) {
      StreamTombstonedErrorDetails tombstoned = detail(details, StreamTombstonedErrorDetails.class);
      return tombstoned == null
          ? new SessionResult.Inconclusive(text)
          : new SessionResult.StreamDeleted(tombstoned.getStream());
    }
    if ("NOT_LEADER_NODE".equals(reason)
        || "SERVER_NOT_READY".equals(reason)
        || "SERVER_OVERLOADED".equals(reason)
        || "OPERATION_TIMEOUT".equals(reason)) {
      throw new EventStoreUnavailableException("multi-stream append failed: " + text, cause);
    }
    switch (status.getCode()) {
      case INVALID_ARGUMENT, PERMISSION_DENIED, RESOURCE_EXHAUSTED:
        return new SessionResult.Rejected(text);
      case ABORTED:
        // STREAM_ALREADY_IN_APPEND_SESSION, APPEND_TRANSACTION_SIZE_EXCEEDED: the request, not
        // the server; anything else aborted may heal.
        if (reason != null) {
          return new SessionResult.Rejected(text);
        }
        break;
      case INTERNAL:
        return new SessionResult.Inconclusive(text);
      default:
        break;
    }
    throw EsdbErrors.failure("multi-stream append", cause);
  }

  /**
   * The {@code details} of the {@code google.rpc.Status} in the {@code grpc-status-details-bin}
   * trailer, read from the wire format: both EventStoreDB clients ship a class named {@code
   * com.google.rpc.Status}, and the older one's is not Google's (its {@code details} is single), so
   * which one a class path offers decides nothing here.
   */
  static List<Any> details(Throwable error) {
    Metadata trailers = Status.trailersFromThrowable(error);
    byte[] bytes = trailers == null ? null : trailers.get(STATUS_DETAILS);
    List<Any> details = new ArrayList<>();
    if (bytes == null) {
      return details;
    }
    try {
      CodedInputStream in = CodedInputStream.newInstance(bytes);
      for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
        if (WireFormat.getTagFieldNumber(tag) == 3
            && WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
          details.add(Any.parseFrom(in.readBytes()));
        } else {
          in.skipField(tag);
        }
      }
    } catch (IOException e) {
      return List.of();
    }
    return details;
  }

  private static final Metadata.Key<byte[]> STATUS_DETAILS =
      Metadata.Key.of("grpc-status-details-bin", Metadata.BINARY_BYTE_MARSHALLER);

  private static String reason(List<Any> details) {
    for (Any any : details) {
      if (any.is(ErrorInfo.class)) {
        try {
          return any.unpack(ErrorInfo.class).getReason();
        } catch (InvalidProtocolBufferException e) {
          return null;
        }
      }
    }
    return null;
  }

  private static <T extends com.google.protobuf.Message> T detail(
      List<Any> details, Class<T> type) {
    for (Any any : details) {
      if (any.is(type)) {
        try {
          return any.unpack(type);
        } catch (InvalidProtocolBufferException e) {
          return null;
        }
      }
    }
    return null;
  }
}
