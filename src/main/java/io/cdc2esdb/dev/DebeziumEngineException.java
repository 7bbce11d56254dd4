package io.cdc2esdb.dev;

/** The embedded Debezium engine could not start, or stopped with an error. */
public final class DebeziumEngineException extends RuntimeException {

  public DebeziumEngineException(String message, Throwable cause) {
    super(message, cause);
  }
}
