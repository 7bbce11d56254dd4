package io.cdc2esdb.dev.emulator.store;

/**
 * A record as a read returns it. For a link read with link resolution, {@code event} is the target
 * (null when the target cannot be read) and {@code link} the {@code $>} record; otherwise {@code
 * event} is the record itself and {@code link} is null.
 */
public record ResolvedRecord(EventRecord event, EventRecord link) {

  public static ResolvedRecord of(EventRecord record) {
    return new ResolvedRecord(record, null);
  }

  /** The record that was read: the link if there is one. */
  public EventRecord original() {
    return link != null ? link : event;
  }
}
