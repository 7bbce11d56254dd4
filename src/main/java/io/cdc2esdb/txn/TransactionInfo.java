package io.cdc2esdb.txn;

import java.util.Map;

/**
 * What the {@code transactions} store knows of one database transaction: BEGIN seen, or END seen
 * with its event counts (in all, and per {@code db.table}).
 */
public record TransactionInfo(
    String id,
    String status,
    Long eventCount,
    Map<String, Long> dataCollections,
    long beginTsMs,
    long endTsMs) {

  public static final String BEGIN = "BEGIN";
  public static final String END = "END";

  public boolean ended() {
    return END.equals(status);
  }
}
