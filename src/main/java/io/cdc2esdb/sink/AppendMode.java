package io.cdc2esdb.sink;

import java.util.Locale;

/** How released transactions are appended ({@code esdb.append.mode}). */
public enum AppendMode {
  /** {@link #TRANSACTION} when the server offers multi-stream appends, else {@link #PER_STREAM}. */
  AUTO,
  /** Each transaction (or several small ones) in one atomic multi-stream append (25.1+). */
  TRANSACTION,
  /** One append per stream, as EventStoreDB servers before 25.1 need. */
  PER_STREAM;

  /** The value as written in the configuration. */
  public String configValue() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public static AppendMode fromConfig(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT).replace('-', '_'));
  }
}
