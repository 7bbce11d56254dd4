package io.cdc2esdb.naming;

import io.cdc2esdb.envelope.ChangeEvent;
import io.cdc2esdb.envelope.Json;
import io.cdc2esdb.envelope.SourcePosition;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * Deterministic event ids: a name-based (version 5, SHA-1) UUID of what identifies a change in the
 * source — server, binlog file, position, row, table, primary key and op — and nothing that a
 * re-delivery changes (Kafka offsets, timestamps). The same change gets the same id on every
 * replay, on every instance, and after Debezium re-sends it, which is what lets EventStoreDB
 * recognise a repeated append. A snapshot row of a table without a primary key adds its {@link
 * SourcePosition#ordinal()}: nothing else tells two such rows apart.
 */
public final class EventIds {

  /** The namespace of cdc2esdb's event ids (itself a fixed, random UUID). */
  public static final UUID NAMESPACE = UUID.fromString("5d0c1f7e-2a8b-4f43-9b7e-3c1d6a9e0b52");

  private EventIds() {}

  public static UUID eventId(ChangeEvent event) {
    SourcePosition s = event.source();
    String identity =
        String.join(
            "|",
            String.valueOf(s.server()),
            String.valueOf(s.file()),
            Long.toString(s.pos()),
            Integer.toString(s.row()),
            String.valueOf(s.db()),
            String.valueOf(s.table()),
            event.key() == null ? "null" : Json.text(event.key()),
            event.op().code());
    // Appended only when present, so that every id without an ordinal is what it always was.
    return nameUuid(
        s.ordinal() == SourcePosition.NO_ORDINAL ? identity : identity + "|#" + s.ordinal());
  }

  /** RFC 4122 version 5 UUID of {@code name} in {@link #NAMESPACE}. */
  static UUID nameUuid(String name) {
    MessageDigest sha1;
    try {
      sha1 = MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is required of every JVM", e);
    }
    ByteBuffer ns = ByteBuffer.allocate(16);
    ns.putLong(NAMESPACE.getMostSignificantBits()).putLong(NAMESPACE.getLeastSignificantBits());
    sha1.update(ns.array());
    byte[] hash = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
    hash[6] = (byte) ((hash[6] & 0x0f) | 0x50);
    hash[8] = (byte) ((hash[8] & 0x3f) | 0x80);
    ByteBuffer bits = ByteBuffer.wrap(hash, 0, 16);
    return new UUID(bits.getLong(), bits.getLong());
  }
}
