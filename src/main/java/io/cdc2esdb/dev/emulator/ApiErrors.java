package io.cdc2esdb.dev.emulator;

import com.google.protobuf.Any;
import com.google.protobuf.Duration;
import com.google.protobuf.Message;
import com.google.protobuf.ProtocolMessageEnum;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import com.google.rpc.ErrorInfo;
import com.google.rpc.RetryInfo;
import com.google.rpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import io.kurrentdb.protocol.v2.common.errors.AccessDeniedErrorDetails;
import io.kurrentdb.protocol.v2.common.errors.NotLeaderNodeErrorDetails;
import io.kurrentdb.protocol.v2.common.errors.ServerError;
import io.kurrentdb.protocol.v2.streams.errors.AppendRecordSizeExceededErrorDetails;
import io.kurrentdb.protocol.v2.streams.errors.AppendTransactionSizeExceededErrorDetails;
import io.kurrentdb.protocol.v2.streams.errors.StreamAlreadyInAppendSessionErrorDetails;
import io.kurrentdb.protocol.v2.streams.errors.StreamRevisionConflictErrorDetails;
import io.kurrentdb.protocol.v2.streams.errors.StreamTombstonedErrorDetails;
import io.kurrentdb.protocol.v2.streams.errors.StreamsError;
import java.util.List;

/**
 * The v2 API's errors, shaped as the server sends them: a {@code google.rpc.Status} in the {@code
 * grpc-status-details-bin} trailer whose details are an {@code ErrorInfo} (reason = the error enum
 * value without its prefix, domain {@code streams} or {@code server}) followed by the typed detail
 * message, when the error has one. The status code is the one the server's error enum annotates.
 */
final class ApiErrors {

  private static final Duration RETRY_DELAY = Duration.newBuilder().setSeconds(5).build();

  private ApiErrors() {}

  static StatusRuntimeException revisionConflict(String stream, long expected, long actual) {
    return streams(
        Code.FAILED_PRECONDITION,
        StreamsError.STREAMS_ERROR_STREAM_REVISION_CONFLICT,
        "Append failed due to a revision conflict on stream '"
            + stream
            + "'. Expected revision: "
            + expected
            + ". Actual revision: "
            + actual
            + ".",
        StreamRevisionConflictErrorDetails.newBuilder()
            .setStream(stream)
            .setExpectedRevision(expected)
            .setActualRevision(actual)
            .build());
  }

  static StatusRuntimeException tombstoned(String stream) {
    return streams(
        Code.FAILED_PRECONDITION,
        StreamsError.STREAMS_ERROR_STREAM_TOMBSTONED,
        "Stream '" + stream + "' has been tombstoned.",
        StreamTombstonedErrorDetails.newBuilder().setStream(stream).build());
  }

  static StatusRuntimeException recordSizeExceeded(
      String stream, String recordId, int size, int maxSize) {
    return streams(
        Code.INVALID_ARGUMENT,
        StreamsError.STREAMS_ERROR_APPEND_RECORD_SIZE_EXCEEDED,
        "The size of record "
            + recordId
            + " ("
            + size
            + " bytes) exceeds the maximum allowed size of "
            + maxSize
            + " bytes by "
            + (size - maxSize)
            + " bytes.",
        AppendRecordSizeExceededErrorDetails.newBuilder()
            .setStream(stream)
            .setRecordId(recordId)
            .setSize(size)
            .setMaxSize(maxSize)
            .build());
  }

  static StatusRuntimeException transactionSizeExceeded(int size, int maxSize) {
    return streams(
        Code.ABORTED,
        StreamsError.STREAMS_ERROR_APPEND_TRANSACTION_SIZE_EXCEEDED,
        "The total size of the append transaction ("
            + size
            + " bytes) exceeds the maximum allowed size of "
            + maxSize
            + " bytes.",
        AppendTransactionSizeExceededErrorDetails.newBuilder()
            .setSize(size)
            .setMaxSize(maxSize)
            .build());
  }

  static StatusRuntimeException alreadyInSession(String stream) {
    return streams(
        Code.ABORTED,
        StreamsError.STREAMS_ERROR_STREAM_ALREADY_IN_APPEND_SESSION,
        "Stream '"
            + stream
            + "' is already in the append session. Appends to a stream must currently be grouped"
            + " together and not interleaved with appends to other streams.",
        StreamAlreadyInAppendSessionErrorDetails.newBuilder().setStream(stream).build());
  }

  static StatusRuntimeException noRequests() {
    return streams(
        Code.FAILED_PRECONDITION,
        StreamsError.STREAMS_ERROR_APPEND_SESSION_NO_REQUESTS,
        "At least one append request is required in an append session.",
        null);
  }

  static StatusRuntimeException badRequest(List<BadRequest.FieldViolation> violations) {
    StringBuilder message = new StringBuilder("Validation failed:");
    for (BadRequest.FieldViolation violation : violations) {
      message
          .append(" ")
          .append(violation.getField())
          .append(": ")
          .append(violation.getDescription());
    }
    return server(
        Code.INVALID_ARGUMENT,
        ServerError.SERVER_ERROR_BAD_REQUEST,
        message.toString(),
        BadRequest.newBuilder().addAllFieldViolations(violations).build());
  }

  static StatusRuntimeException malfunction(String message) {
    return server(Code.INTERNAL, ServerError.SERVER_ERROR_SERVER_MALFUNCTION, message, null);
  }

  static StatusRuntimeException timeout() {
    return server(
        Code.DEADLINE_EXCEEDED,
        ServerError.SERVER_ERROR_OPERATION_TIMEOUT,
        "The operation timed out.",
        RetryInfo.newBuilder().setRetryDelay(RETRY_DELAY).build());
  }

  static StatusRuntimeException notReady() {
    return server(
        Code.UNAVAILABLE,
        ServerError.SERVER_ERROR_SERVER_NOT_READY,
        "The server is not ready.",
        RetryInfo.newBuilder().setRetryDelay(RETRY_DELAY).build());
  }

  static StatusRuntimeException notLeader(String host, int port) {
    return server(
        Code.FAILED_PRECONDITION,
        ServerError.SERVER_ERROR_NOT_LEADER_NODE,
        "This node is not the leader.",
        NotLeaderNodeErrorDetails.newBuilder()
            .setCurrentLeader(
                NotLeaderNodeErrorDetails.NodeInfo.newBuilder().setHost(host).setPort(port))
            .build());
  }

  static StatusRuntimeException accessDenied() {
    return server(
        Code.PERMISSION_DENIED,
        ServerError.SERVER_ERROR_ACCESS_DENIED,
        "Access denied.",
        AccessDeniedErrorDetails.newBuilder()
            .setOperation("streams:write")
            .setPermission("streams:write")
            .build());
  }

  /** The error a fault answers with; a not-leader answer names this node itself as the leader. */
  static StatusRuntimeException fault(AppendFault fault, String host, int port) {
    return switch (fault) {
      case TIMEOUT, TIMEOUT_AFTER_WRITE -> timeout();
      case NOT_LEADER -> notLeader(host, port);
      case NOT_READY -> notReady();
      case ACCESS_DENIED -> accessDenied();
      case NO_ANSWER -> throw new IllegalArgumentException("no answer to give");
    };
  }

  private static StatusRuntimeException streams(
      Code code, StreamsError reason, String message, Message detail) {
    return error(code, reason, "STREAMS_ERROR_", "streams", message, detail);
  }

  private static StatusRuntimeException server(
      Code code, ServerError reason, String message, Message detail) {
    return error(code, reason, "SERVER_ERROR_", "server", message, detail);
  }

  private static StatusRuntimeException error(
      Code code,
      ProtocolMessageEnum reason,
      String prefix,
      String domain,
      String message,
      Message detail) {
    String name = reason.getValueDescriptor().getName();
    ErrorInfo info =
        ErrorInfo.newBuilder()
            .setReason(name.startsWith(prefix) ? name.substring(prefix.length()) : name)
            .setDomain(domain)
            .build();
    Status.Builder status =
        Status.newBuilder()
            .setCode(code.getNumber())
            .setMessage(message)
            .addDetails(Any.pack(info));
    if (detail != null) {
      status.addDetails(Any.pack(detail));
    }
    return StatusProto.toStatusRuntimeException(status.build());
  }
}
