package io.cdc2esdb.query;

/**
 * A request that cannot be answered as asked: its HTTP status, a stable error code and a message a
 * person can act on. {@code retryAfterSeconds} is set for 503s.
 */
final class QueryException extends RuntimeException {

  private final int status;
  private final String code;
  private final Integer retryAfterSeconds;

  QueryException(int status, String code, String message, Integer retryAfterSeconds) {
    super(message);
    this.status = status;
    this.code = code;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  static QueryException badRequest(String code, String message) {
    return new QueryException(400, code, message, null);
  }

  static QueryException notFound(String code, String message) {
    return new QueryException(404, code, message, null);
  }

  /** 503 with {@code Retry-After: 1}: not running yet, rebalancing, or a peer did not answer. */
  static QueryException unavailable(String code, String message) {
    return new QueryException(503, code, message, 1);
  }

  int status() {
    return status;
  }

  String code() {
    return code;
  }

  Integer retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
