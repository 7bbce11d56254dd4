package io.cdc2esdb.envelope;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * One row change read from a Debezium envelope, in Debezium's vocabulary.
 *
 * <p>A change read from a record keeps the record's bytes ({@link #raw()}) and builds its trees
 * ({@link #payload()}, {@link #before()}, {@link #after()}) only when they are asked for: the
 * pending buffer, the dead-letter topic and the event's data copy the bytes, so a change that
 * nothing rewrites is never turned into a tree. A change is used by one stream thread at a time.
 * The raw bytes are not part of its equality (they only say what the trees say).
 */
public final class ChangeEvent {

  private final Operation op;
  private final ObjectNode key;
  private final SourcePosition source;
  private final TransactionRef transaction;
  private final Origin origin;
  private final RawJson raw;
  private ObjectNode payload;
  private JsonNode before;
  private JsonNode after;

  /**
   * A change from its trees.
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
   * @param raw the JSON the trees were read from, when nothing rewrote them since, else {@code
   *     null}
   */
  public ChangeEvent(
      Operation op,
      ObjectNode key,
      JsonNode before,
      JsonNode after,
      ObjectNode payload,
      SourcePosition source,
      TransactionRef transaction,
      Origin origin,
      RawJson raw) {
    this(op, key, source, transaction, origin, raw);
    this.payload = Objects.requireNonNull(payload, "payload");
    this.before = before;
    this.after = after;
  }

  private ChangeEvent(
      Operation op,
      ObjectNode key,
      SourcePosition source,
      TransactionRef transaction,
      Origin origin,
      RawJson raw) {
    this.op = Objects.requireNonNull(op, "op");
    this.key = key;
    this.source = Objects.requireNonNull(source, "source");
    this.transaction = transaction;
    this.origin = Objects.requireNonNull(origin, "origin");
    this.raw = raw;
  }

  /** A change whose payload and rows are read from {@code raw} when first asked for. */
  public static ChangeEvent ofRaw(
      Operation op,
      ObjectNode key,
      SourcePosition source,
      TransactionRef transaction,
      Origin origin,
      RawJson raw) {
    return new ChangeEvent(op, key, source, transaction, origin, Objects.requireNonNull(raw));
  }

  public Operation op() {
    return op;
  }

  public ObjectNode key() {
    return key;
  }

  /** The row before the change, or {@code null}. */
  public JsonNode before() {
    payload();
    return before;
  }

  /** The row after the change, or {@code null}. */
  public JsonNode after() {
    payload();
    return after;
  }

  /** The whole Debezium payload without the converter's schema wrapper. */
  public ObjectNode payload() {
    if (payload == null) {
      try {
        payload = (ObjectNode) raw.payloadTree();
      } catch (IOException e) {
        // The parser read these bytes already: they are a JSON object.
        throw new UncheckedIOException(e);
      }
      before = Json.orNull(payload.get("before"));
      after = Json.orNull(payload.get("after"));
    }
    return payload;
  }

  public SourcePosition source() {
    return source;
  }

  public TransactionRef transaction() {
    return transaction;
  }

  public Origin origin() {
    return origin;
  }

  /** The JSON the payload and rows were read from, or {@code null} once they were rewritten. */
  public RawJson raw() {
    return raw;
  }

  /** The payload as JSON: the bytes it was read from when they are known, else written now. */
  public byte[] payloadBytes() {
    return raw != null ? raw.payload() : Json.bytes(payload);
  }

  /** {@link #before()} as JSON (the bytes it was read from when known), or {@code null}. */
  public byte[] beforeBytes() {
    if (raw != null && raw.beforeFrom() != RawJson.OTHER) {
      return raw.before();
    }
    return before() == null ? null : Json.bytes(before);
  }

  /** {@link #after()} as JSON (the bytes it was read from when known), or {@code null}. */
  public byte[] afterBytes() {
    if (raw != null && raw.afterFrom() != RawJson.OTHER) {
      return raw.after();
    }
    return after() == null ? null : Json.bytes(after);
  }

  /** The transaction id this change belongs to, or {@code null} when it has none. */
  public String transactionId() {
    return transaction == null ? null : transaction.id();
  }

  /** The same change, read from another Kafka record (a re-delivery, a replay). */
  public ChangeEvent withOrigin(Origin newOrigin) {
    ChangeEvent copy = new ChangeEvent(op, key, source, transaction, newOrigin, raw);
    copy.payload = payload;
    copy.before = before;
    copy.after = after;
    return copy;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ChangeEvent that
        && op == that.op
        && Objects.equals(key, that.key)
        && payload().equals(that.payload())
        && Objects.equals(before, that.before)
        && Objects.equals(after, that.after)
        && source.equals(that.source)
        && Objects.equals(transaction, that.transaction)
        && origin.equals(that.origin);
  }

  @Override
  public int hashCode() {
    return Objects.hash(op, key, before(), after(), payload, source, transaction, origin);
  }

  @Override
  public String toString() {
    return ("ChangeEvent[op=%s, key=%s, before=%s, after=%s, payload=%s, source=%s, transaction=%s,"
            + " origin=%s]")
        .formatted(op, key, before(), after(), payload, source, transaction, origin);
  }
}
