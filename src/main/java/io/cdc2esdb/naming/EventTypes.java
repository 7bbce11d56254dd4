package io.cdc2esdb.naming;

import io.cdc2esdb.envelope.Operation;
import java.util.EnumMap;
import java.util.Map;

/**
 * Event types by operation: {@code Insert}, {@code Update}, {@code Delete}, {@code Snapshot},
 * {@code Truncate} unless configured otherwise with {@code c=Created,u=Changed,...}.
 */
public final class EventTypes {

  public static final String DEFAULT_MAPPING = "c=Insert,u=Update,d=Delete,r=Snapshot,t=Truncate";

  private final Map<Operation, String> types = new EnumMap<>(Operation.class);

  private EventTypes() {}

  public static EventTypes defaults() {
    EventTypes result = new EventTypes();
    result.putAll(DEFAULT_MAPPING);
    return result;
  }

  /**
   * Parses {@code op=Type} pairs separated by commas; ops not named keep their default type.
   *
   * @throws IllegalArgumentException naming the bad pair
   */
  public static EventTypes parse(String mapping) {
    EventTypes result = defaults();
    result.putAll(mapping);
    return result;
  }

  private void putAll(String mapping) {
    for (String pair : mapping.split(",")) {
      if (pair.isBlank()) {
        continue;
      }
      String[] kv = pair.split("=", 2);
      Operation op = kv.length == 2 ? Operation.fromCode(kv[0].trim()).orElse(null) : null;
      if (op == null || kv[1].isBlank()) {
        throw new IllegalArgumentException(
            "expected op=Type with op one of c,u,d,r,t, got '" + pair.trim() + "'");
      }
      types.put(op, kv[1].trim());
    }
  }

  public String typeOf(Operation op) {
    return types.get(op);
  }
}
