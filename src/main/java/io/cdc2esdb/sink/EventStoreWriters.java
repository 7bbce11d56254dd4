package io.cdc2esdb.sink;

import java.time.Duration;

/** The production writer for a connection string. */
public final class EventStoreWriters {

  private EventStoreWriters() {}

  /**
   * {@link EsdbGrpcWriter} for one node (the cheap path, with multi-stream appends), {@link
   * EsdbWriter} (the client, per-stream only) for several nodes or gossip discovery.
   *
   * @throws IllegalArgumentException if the connection string is invalid (its password masked)
   */
  public static EventStoreWriter connect(
      String connectionString, long deadlineMs, long maxAppendBytes) {
    return connect(connectionString, deadlineMs, maxAppendBytes, true);
  }

  /**
   * As {@link #connect(String, long, long)}; {@code batchAppend} lets the gRPC writer send
   * per-stream appends over {@code Streams/BatchAppend} when the server offers it.
   */
  public static EventStoreWriter connect(
      String connectionString, long deadlineMs, long maxAppendBytes, boolean batchAppend) {
    if (EsdbGrpcWriter.canServe(connectionString)) {
      return EsdbGrpcWriter.connect(
          connectionString,
          new EsdbGrpcWriter.Settings(Duration.ofMillis(deadlineMs), maxAppendBytes, batchAppend));
    }
    return EsdbWriter.connect(connectionString, deadlineMs, maxAppendBytes);
  }
}
