package io.cdc2esdb.envelope;

/** The Kafka record a change was read from, kept for metadata and dead-letter headers. */
public record Origin(String topic, int partition, long offset, long timestamp) {}
