package io.cdc2esdb.dev.emulator.store;

import java.time.Instant;
import java.util.UUID;

/**
 * One record of the log: an event at its place in a stream ({@code revision}) and in {@code $all}
 * ({@code position}, the record's byte offset in the log). {@code createdTicks} counts 100 ns since
 * the Unix epoch, as the server reports it.
 */
public record EventRecord(
    long position,
    String stream,
    long revision,
    UUID id,
    String type,
    boolean json,
    byte[] data,
    byte[] metadata,
    long createdTicks) {

  public boolean isTombstone() {
    return SystemNames.TOMBSTONE_EVENT.equals(type);
  }

  public boolean isLink() {
    return SystemNames.LINK_EVENT.equals(type);
  }

  /** The server's timestamp unit: 100 ns ticks since the Unix epoch. */
  public static long ticks(Instant instant) {
    return instant.getEpochSecond() * 10_000_000L + instant.getNano() / 100;
  }
}
