package io.cdc2esdb.event;

import io.cdc2esdb.envelope.SourcePosition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The structures one table has had, each from the binlog position of the DDL that gave it, oldest
 * first: a row is decoded with the structure in force at its own position, so a row written before
 * an {@code ALTER TABLE} and one after it decode with their own types, whatever order they are read
 * in.
 */
public record TableHistory(List<Version> versions) {

  /** Versions kept per table; older ones only matter to rows that old. */
  public static final int MAX_VERSIONS = 100;

  private static final Comparator<Version> ORDER =
      Comparator.comparing(Version::file, Comparator.nullsFirst(Comparator.naturalOrder()))
          .thenComparingLong(Version::pos)
          .thenComparingInt(v -> v.snapshot() ? 0 : 1);

  /**
   * One structure of the table.
   *
   * @param columns the columns, or {@code null} once the table was dropped
   */
  public record Version(String file, long pos, boolean snapshot, List<Column> columns) {}

  /** One column as Debezium's schema-change topic describes it. */
  public record Column(String name, String typeName, Integer length, Integer scale, boolean json) {

    public ColumnType type() {
      return ColumnType.ofColumn(typeName, length, scale, json);
    }
  }

  public TableHistory {
    versions = List.copyOf(versions);
  }

  public static TableHistory empty() {
    return new TableHistory(List.of());
  }

  /** The newest structure, or {@code null}. */
  public Version latest() {
    return versions.isEmpty() ? null : versions.get(versions.size() - 1);
  }

  /**
   * This history with {@code version} in its place; a version at the same position (the same DDL
   * read again after a restart) replaces the one there.
   */
  public TableHistory with(Version version) {
    List<Version> next = new ArrayList<>(versions.size() + 1);
    for (Version v : versions) {
      if (ORDER.compare(v, version) != 0) {
        next.add(v);
      }
    }
    next.add(version);
    next.sort(ORDER);
    if (next.size() > MAX_VERSIONS) {
      next = next.subList(next.size() - MAX_VERSIONS, next.size());
    }
    return new TableHistory(next);
  }

  /** The structure in force at {@code position}, or {@code null} when none is known for it. */
  public Version at(SourcePosition position) {
    Version probe = new Version(position.file(), position.pos(), position.isSnapshot(), List.of());
    Version found = null;
    for (Version v : versions) {
      if (ORDER.compare(v, probe) <= 0) {
        found = v;
      }
    }
    return found;
  }
}
