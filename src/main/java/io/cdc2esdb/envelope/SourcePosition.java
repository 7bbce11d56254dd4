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
    String snapshot) {

  private static final Comparator<SourcePosition> ORDER =
      Comparator.comparing(SourcePosition::file, Comparator.nullsFirst(Comparator.naturalOrder()))
          .thenComparingLong(SourcePosition::pos)
          .thenComparingInt(p -> p.isSnapshot() ? 0 : 1)
          .thenComparingInt(SourcePosition::row);

  /** True for rows read by a snapshot ({@code snapshot} is "true", "first", "last", ...). */
  @JsonIgnore
  public boolean isSnapshot() {
    return snapshot != null && !snapshot.isEmpty() && !"false".equals(snapshot);
  }

  /** True when this position comes strictly after {@code other} in the binlog. */
  public boolean isAfter(SourcePosition other) {
    return ORDER.compare(this, other) > 0;
  }

  /** Compact form kept in the {@code stream-positions} store and dead-letter headers. */
  public String describe() {
    return file + ":" + pos + ":" + row + (isSnapshot() ? ":snapshot" : "");
  }
}
