package io.cdc2esdb.envelope;

/**
 * Debezium's {@code transaction} block: the transaction id (a GTID on MariaDB and MySQL with
 * GTIDs), the event's place in the whole transaction and in its table.
 */
public record TransactionRef(String id, long totalOrder, long dataCollectionOrder) {}
