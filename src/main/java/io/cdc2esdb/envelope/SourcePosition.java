package io.cdc2esdb.envelope;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.Comparator;

/**
 * Where a change sits in the source database's binlog, from Debezium's {@code source} block.
 *
 * <p>Positions are ordered by binlog file (Debezium's file names are zero-padded, so they sort as
 * text), then position, then snapshot before streaming (a snapshot row carries the binlog position
 * at which streaming later resumes), then row. For one table row, Debezium delivers changes in this
 * order; it is what the per-stream high-water mark compares.
 *
 * <p>Debezium gives every snapshot row the one binlog position at which streaming resumes, with
 * {@code row} 0. Rows of a keyed table are still told apart by their key (each has its own stream);
 * the rows of a table without a primary key are not, so for them (and only them) the {@code
 * ordinal} is the Kafka offset of the record that carried the row: distinct and increasing in the
 * order Debezium read the rows, and the same on every replay of that topic. Every other change has
 * ordinal {@code -1} and is placed and identified exactly as before ordinals existed.
 *
 * @param ordinal the record's Kafka offset for a snapshot row of a key-less table, else {@code -1}
 */
public record SourcePosition(
    String connector,
    String server,
    String db,
    String table,
    String file,
    long pos,
    int row,
    String gtid,
    long tsMs,
    String snapshot,
    long ordinal) {

  /** The ordinal of every change that its binlog position (and key) already identifies. */
  public static final long NO_ORDINAL = -1;

  private static final Comparator<SourcePosition> ORDER =
      Comparator.comparing(SourcePosition::file, Comparator.nullsFirst(Comparator.naturalOrder()))
          .thenComparingLong(SourcePosition::pos)
          .thenComparingInt(p -> p.isSnapshot() ? 0 : 1)
          .thenComparingInt(SourcePosition::row)
          .thenComparingLong(SourcePosition::ordinal);

  /** True for rows read by a snapshot ({@code snapshot} is "true", "first", "last", ...). */
  @JsonIgnore
  public boolean isSnapshot() {
    return snapshot != null && !snapshot.isEmpty() && !"false".equals(snapshot);
  }

  /** The same position with {@code newOrdinal} to tell it apart from rows that share it. */
  public SourcePosition withOrdinal(long newOrdinal) {
    return new SourcePosition(
        connector, server, db, table, file, pos, row, gtid, tsMs, snapshot, newOrdinal);
  }

  /** True when this position comes strictly after {@code other} in the binlog. */
  public boolean isAfter(SourcePosition other) {
    return ORDER.compare(this, other) > 0;
  }

  /** Compact form kept in the {@code stream-positions} store and dead-letter headers. */
  public String describe() {
    return file
        + ":"
        + pos
        + ":"
        + row
        + (isSnapshot() ? ":snapshot" : "")
        + (ordinal == NO_ORDINAL ? "" : "#" + ordinal);
  }
}
