package io.cdc2esdb.envelope;

import java.util.Optional;

/** Debezium's {@code op} codes for row-level changes, in Debezium's own vocabulary. */
public enum Operation {
  CREATE("c"),
  UPDATE("u"),
  DELETE("d"),
  READ("r"),
  TRUNCATE("t");

  private final String code;

  Operation(String code) {
    this.code = code;
  }

  public String code() {
    return code;
  }

  /** The operation for a Debezium op code, or empty when it is not a row change cdc2esdb writes. */
  public static Optional<Operation> fromCode(String code) {
    for (Operation op : values()) {
      if (op.code.equals(code)) {
        return Optional.of(op);
      }
    }
    return Optional.empty();
  }
}
