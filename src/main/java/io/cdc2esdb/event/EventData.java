package io.cdc2esdb.event;

/** What an event's data holds ({@code event.data}). */
public enum EventData {
  /** The row: {@code after}, or {@code before} for a delete ({@code {}} for a truncate). */
  ROW,
  /** {@code {"before": ..., "after": ...}}. */
  CHANGE,
  /** The whole Debezium payload, without the converter's schema wrapper. */
  ENVELOPE
}
