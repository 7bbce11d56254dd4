package io.cdc2esdb.unwrap;

import io.cdc2esdb.error.DeadLetterCode;
import io.cdc2esdb.error.DeadLetterException;

/** A row of a table without a primary key, under {@code missing.key.policy=dead-letter}. */
public final class MissingKeyException extends DeadLetterException {
  private static final long serialVersionUID = 1L;

  private final String db;
  private final String table;

  public MissingKeyException(String db, String table) {
    super(
        DeadLetterCode.MISSING_KEY,
        "row of "
            + db
            + "."
            + table
            + " has no primary key (record key is null); set missing.key.policy=table-stream to"
            + " write such rows to one stream per table");
    this.db = db;
    this.table = table;
  }

  public String db() {
    return db;
  }

  public String table() {
    return table;
  }
}
