package io.cdc2esdb.sink;

import java.time.Duration;

/** How hard the append step pushes EventStoreDB and how long it keeps trying. */
public record AppendSettings(
    int maxInFlight, Duration retryBackoff, Duration retryBackoffMax, Duration retryTimeout) {

  public static AppendSettings defaults() {
    return new AppendSettings(
        64, Duration.ofMillis(100), Duration.ofSeconds(5), Duration.ofMinutes(2));
  }
}
