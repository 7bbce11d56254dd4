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
    if (EsdbGrpcWriter.canServe(connectionString)) {
      return EsdbGrpcWriter.connect(
          connectionString,
          new EsdbGrpcWriter.Settings(Duration.ofMillis(deadlineMs), maxAppendBytes));
    }
    return EsdbWriter.connect(connectionString, deadlineMs, maxAppendBytes);
  }
}
