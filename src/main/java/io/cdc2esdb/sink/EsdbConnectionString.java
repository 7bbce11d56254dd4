package io.cdc2esdb.sink;

import com.eventstore.dbclient.EventStoreDBClientSettings;
import com.eventstore.dbclient.EventStoreDBConnectionString;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An EventStoreDB connection string ({@code esdb://} or {@code esdb+discover://}, and KurrentDB's
 * {@code kurrentdb://} and {@code kurrentdb+discover://}, which mean the same; one or more hosts,
 * {@code tls}, credentials as {@code user:password@}), parsed by the client, and shown to people
 * only with its password masked.
 */
public final class EsdbConnectionString {

  private static final Pattern PASSWORD =
      Pattern.compile("((?:esdb|kurrentdb)(?:\\+discover)?://[^:@/?]*):[^@/?]*@");

  /** The client (db-client-java 5.x) knows only the esdb schemes; KurrentDB's map onto them. */
  private static final Pattern KURRENTDB_SCHEME =
      Pattern.compile("^kurrentdb(\\+discover)?://", Pattern.CASE_INSENSITIVE);

  /** Settings the client parses as booleans; it takes anything else silently as false. */
  private static final Pattern BOOLEAN_SETTING =
      Pattern.compile("[?&](tls|tlsVerifyCert|dnsDiscover)=([^&]*)", Pattern.CASE_INSENSITIVE);

  private EsdbConnectionString() {}

  /**
   * Checks {@code connectionString} as the writer will parse it.
   *
   * @throws IllegalArgumentException with a message that names what is wrong, password masked
   */
  public static void validate(String connectionString) {
    parse(connectionString);
  }

  /**
   * The client's settings for {@code connectionString}.
   *
   * @throws IllegalArgumentException if the client cannot parse it (the message is masked, and the
   *     client's exception is not attached: its message holds the string as given)
   */
  static EventStoreDBClientSettings parse(String connectionString) {
    String text = connectionString == null ? "" : connectionString.trim();
    var booleans = BOOLEAN_SETTING.matcher(text);
    while (booleans.find()) {
      String value = booleans.group(2).toLowerCase(Locale.ROOT);
      if (!value.equals("true") && !value.equals("false")) {
        throw new IllegalArgumentException(
            "invalid EventStoreDB connection string "
                + redact(text)
                + ": "
                + booleans.group(1)
                + " must be true or false, was '"
                + booleans.group(2)
                + "'");
      }
    }
    try {
      return EventStoreDBConnectionString.parseOrThrow(
          KURRENTDB_SCHEME.matcher(text).replaceFirst("esdb$1://"));
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
