package io.cdc2esdb.envelope;

/** What one Kafka record of a Debezium table topic turned out to be. */
public sealed interface ParsedRecord {

  /** A row change to write. */
  record Change(ChangeEvent event) implements ParsedRecord {}

  /** The null-valued record Debezium sends after a delete so that compaction can drop the key. */
  record Tombstone() implements ParsedRecord {}

  /** A well-formed Debezium record that is not a row change (e.g. op {@code m}, a message). */
  record Ignored(String op) implements ParsedRecord {}
}
