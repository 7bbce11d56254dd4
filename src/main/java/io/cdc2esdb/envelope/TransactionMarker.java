package io.cdc2esdb.envelope;

import java.util.Map;

/**
 * A record of Debezium's transaction topic: the BEGIN or END of one database transaction. END
 * carries how many change events the transaction produced, in all and per table ({@code
 * data_collection}); BEGIN carries none.
 */
public record TransactionMarker(
    String id, Status status, Long eventCount, Map<String, Long> dataCollections, long tsMs) {

  /** BEGIN or END. */
  public enum Status {
    BEGIN,
    END
  }
}
