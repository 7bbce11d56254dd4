package io.cdc2esdb.envelope;

/** One header of the Kafka record a change was read from (Kafka allows a name more than once). */
public record RecordHeader(String key, byte[] value) {}
