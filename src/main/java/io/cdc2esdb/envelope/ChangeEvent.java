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
 * @param raw the JSON {@code payload}, {@code before} and {@code after} were read from, when
 *     nothing rewrote them since, else {@code null}: the pending buffer, the dead-letter topic and
 *     the event's data copy it instead of writing the trees again. Not part of the change's
 *     equality (it only caches what the trees say)
 */
public record ChangeEvent(
    Operation op,
    ObjectNode key,
    JsonNode before,
    JsonNode after,
    ObjectNode payload,
    SourcePosition source,
    TransactionRef transaction,
    Origin origin,
    RawJson raw) {

  public ChangeEvent {
    Objects.requireNonNull(op, "op");
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(origin, "origin");
  }

  /** The payload as JSON: the bytes it was read from when they are known, else written now. */
  public byte[] payloadBytes() {
    return raw != null ? raw.payload() : Json.bytes(payload);
  }

  /**
   * {@code row} ({@link #before()} or {@link #after()}) as JSON: the bytes it was read from when
   * they are known, else written now; {@code null} for no row.
   */
  public byte[] rowBytes(JsonNode row) {
    if (row == null) {
      return null;
    }
    byte[] read =
        raw == null ? null : row == before ? raw.before() : row == after ? raw.after() : null;
    return read != null ? read : Json.bytes(row);
  }

  /** The transaction id this change belongs to, or {@code null} when it has none. */
  public String transactionId() {
    return transaction == null ? null : transaction.id();
  }

  /** The same change, read from another Kafka record (a re-delivery, a replay). */
  public ChangeEvent withOrigin(Origin newOrigin) {
    return new ChangeEvent(op, key, before, after, payload, source, transaction, newOrigin, raw);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ChangeEvent that
        && op == that.op
        && Objects.equals(key, that.key)
        && Objects.equals(before, that.before)
        && Objects.equals(after, that.after)
        && payload.equals(that.payload)
        && source.equals(that.source)
        && Objects.equals(transaction, that.transaction)
        && origin.equals(that.origin);
  }

  @Override
  public int hashCode() {
    return Objects.hash(op, key, before, after, payload, source, transaction, origin);
  }

  @Override
  public String toString() {
    return ("ChangeEvent[op=%s, key=%s, before=%s, after=%s, payload=%s, source=%s, transaction=%s,"
            + " origin=%s]")
        .formatted(op, key, before, after, payload, source, transaction, origin);
  }
}
