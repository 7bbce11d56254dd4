package io.cdc2esdb.sink;

import com.eventstore.dbclient.EventStoreDBClientSettings;
import com.eventstore.dbclient.EventStoreDBConnectionString;
import java.util.regex.Pattern;

/**
 * An EventStoreDB connection string ({@code esdb://} or {@code esdb+discover://}, one or more
 * hosts, {@code tls}, credentials as {@code user:password@}), parsed by the client, and shown to
 * people only with its password masked.
 */
final class EsdbConnectionString {

  private static final Pattern PASSWORD =
      Pattern.compile("(esdb(?:\\+discover)?://[^:@/?]*):[^@/?]*@");

  private EsdbConnectionString() {}

  /**
   * The client's settings for {@code connectionString}.
   *
   * @throws IllegalArgumentException if the client cannot parse it (the message is masked, and the
   *     client's exception is not attached: its message holds the string as given)
   */
  static EventStoreDBClientSettings parse(String connectionString) {
    try {
      return EventStoreDBConnectionString.parseOrThrow(connectionString);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "invalid EventStoreDB connection string "
              + redact(connectionString)
              + ": "
              + redact(String.valueOf(e.getMessage())));
    }
  }

  /** The text with the password of every {@code esdb://user:password@} in it replaced by ***. */
  static String redact(String text) {
    return text == null ? null : PASSWORD.matcher(text).replaceAll("$1:***@");
  }
}
