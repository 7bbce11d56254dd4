package io.cdc2esdb.envelope;

import com.fasterxml.jackson.databind.JsonNode;

/** What one Kafka record of a Debezium table topic turned out to be. */
public sealed interface ParsedRecord {

  /**
   * A row change to write.
   *
   * @param valueSchema the Kafka Connect schema of the record's value when the converter's schema
   *     wrapper is on ({@code schemas.enable=true}), else {@code null}
   */
  record Change(ChangeEvent event, JsonNode valueSchema) implements ParsedRecord {}

  /** The null-valued record Debezium sends after a delete so that compaction can drop the key. */
  record Tombstone() implements ParsedRecord {}

  /** A well-formed Debezium record that is not a row change (e.g. op {@code m}, a message). */
  record Ignored(String op) implements ParsedRecord {}
}
