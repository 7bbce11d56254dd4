package io.cdc2esdb.dev.emulator;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * The server's error statuses, with the descriptions and trailers the client (and people) read:
 * {@code exception} names the error, further trailers carry its data.
 */
final class RpcErrors {

  private RpcErrors() {}

  static StatusRuntimeException streamDeleted(String stream) {
    return error(
        Status.FAILED_PRECONDITION,
        "Event stream '" + stream + "' is deleted.",
        "stream-deleted",
        "stream-name",
        stream);
  }

  /** Delete and Tombstone report a wrong expected version as an error (Append in its body). */
  static StatusRuntimeException wrongExpectedVersion(
      String operation, String stream, long expected, long actual) {
    return error(
        Status.FAILED_PRECONDITION,
        operation
            + " failed due to WrongExpectedVersion. Stream: "
            + stream
            + ", Expected version: "
            + expected
            + ", Actual version: "
            + actual,
        "wrong-expected-version",
        "stream-name",
        stream,
        "expected-version",
        Long.toString(expected),
        "actual-version",
        Long.toString(actual));
  }

  static StatusRuntimeException maximumAppendSizeExceeded(long maxAppendSize) {
    return error(
        Status.INVALID_ARGUMENT,
        "Maximum Append Size of " + maxAppendSize + " Exceeded.",
        "maximum-append-size-exceeded",
        "maximum-append-size",
        Long.toString(maxAppendSize));
  }

  static StatusRuntimeException missingRequiredMetadata(String property) {
    return error(
        Status.INVALID_ARGUMENT,
        "Required Metadata Property '" + property + "' is missing",
        "missing-required-metadata-property",
        "required-metadata-properties",
        "type,content-type");
  }

  static StatusRuntimeException accessDenied() {
    return error(Status.PERMISSION_DENIED, "Access Denied", "access-denied");
  }

  static StatusRuntimeException timeout() {
    return Status.ABORTED.withDescription("Operation timed out: ").asRuntimeException();
  }

  static StatusRuntimeException notReady() {
    return Status.UNAVAILABLE.withDescription("Server Is Not Ready").asRuntimeException();
  }

  static StatusRuntimeException notLeader(String host, int port) {
    return error(
        Status.NOT_FOUND,
        "Leader info available",
        "not-leader",
        "leader-endpoint-host",
        host,
        "leader-endpoint-port",
        Integer.toString(port));
  }

  static StatusRuntimeException invalidArgument(String message) {
    return Status.INVALID_ARGUMENT.withDescription(message).asRuntimeException();
  }

  private static StatusRuntimeException error(
      Status status, String description, String exception, String... keyValues) {
    Metadata trailers = new Metadata();
    trailers.put(key("exception"), exception);
    for (int i = 0; i < keyValues.length; i += 2) {
      trailers.put(key(keyValues[i]), keyValues[i + 1]);
    }
    return status.withDescription(description).asRuntimeException(trailers);
  }

  private static Metadata.Key<String> key(String name) {
    return Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER);
  }
}
