package io.cdc2esdb.event;

/** How a table is named in the {@code table-structures} store: {@code <db>.<table>}. */
public final class TableKeys {

  private TableKeys() {}

  public static String of(String db, String table) {
    return (db == null ? "" : db) + "." + table;
  }
}
