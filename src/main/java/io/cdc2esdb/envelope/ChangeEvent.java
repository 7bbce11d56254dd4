package io.cdc2esdb.envelope;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * One row change read from a Debezium envelope, in Debezium's vocabulary.
 *
 * @param op the row operation
 * @param key the primary-key columns in key-column order, or {@code null} for a table without a
 *     primary key (and for truncates)
 * @param before the row before the change, or {@code null}
 * @param after the row after the change, or {@code null}
 * @param payload the whole Debezium payload without the converter's schema wrapper
 * @param source where the change sits in the binlog
 * @param transaction the transaction block, or {@code null} (snapshots, no transaction metadata)
 * @param origin the Kafka record it was read from
 */
public record ChangeEvent(
    Operation op,
    ObjectNode key,
    JsonNode before,
    JsonNode after,
    ObjectNode payload,
    SourcePosition source,
    TransactionRef transaction,
    Origin origin) {

  public ChangeEvent {
    Objects.requireNonNull(op, "op");
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(origin, "origin");
  }

  /** The transaction id this change belongs to, or {@code null} when it has none. */
  public String transactionId() {
    return transaction == null ? null : transaction.id();
  }

  /** The same change, read from another Kafka record (a re-delivery, a replay). */
  public ChangeEvent withOrigin(Origin newOrigin) {
    return new ChangeEvent(op, key, before, after, payload, source, transaction, newOrigin);
  }
}
