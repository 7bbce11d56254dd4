package io.cdc2esdb.config;

import io.cdc2esdb.event.EventData;
import io.cdc2esdb.event.ValueOptions;
import io.cdc2esdb.naming.EventTypes;
import io.cdc2esdb.naming.StreamNaming;
import io.cdc2esdb.sink.AppendMode;
import io.cdc2esdb.sink.EsdbConnectionString;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * cdc2esdb's own settings, declared once with type, default, validator and documentation. Kafka
 * Streams settings live beside them in the same properties under their own names (see {@link
 * StreamsSettings}). A bad value fails construction with a {@link ConfigException} naming the key.
 */
public final class CdcConfig extends AbstractConfig {

  public static final String TOPIC_PREFIX = "topic.prefix";
  public static final String DATA_TOPICS_PATTERN = "data.topics.pattern";
  public static final String TRANSACTION_TOPIC = "transaction.topic";
  public static final String DEAD_LETTER_TOPIC = "dead.letter.topic";
  public static final String DEAD_LETTER_MAX_BYTES = "dead.letter.max.bytes";
  public static final String TRANSACTION_MAX_WAIT_MS = "transaction.max.wait.ms";
  public static final String TRANSACTION_RETENTION_MS = "transaction.retention.ms";
  public static final String FLUSH_INTERVAL_MS = "flush.interval.ms";
  public static final String FLUSH_MAX_EVENTS = "flush.max.events";
  public static final String STREAM_NAME_FORMAT = "stream.name.format";
  public static final String EVENT_DATA = "event.data";
  public static final String EVENT_TYPES = "event.types";
  public static final String EVENT_VALUES = "event.values";
  public static final String EVENT_VALUES_BINARY = "event.values.binary";
  public static final String EVENT_VALUES_JSON = "event.values.json";
  public static final String DECIMAL_HANDLING_MODE = "debezium.decimal.handling.mode";
  public static final String SCHEMA_CHANGES_TOPIC = "schema.changes.topic";
  public static final String MISSING_KEY_POLICY = "missing.key.policy";
  public static final String ESDB_CONNECTION_STRING = "esdb.connection.string";
  public static final String ESDB_MAX_APPEND_BYTES = "esdb.max.append.bytes";
  public static final String ESDB_MAX_INFLIGHT_APPENDS = "esdb.max.inflight.appends";
  public static final String ESDB_DEADLINE_MS = "esdb.deadline.ms";
  public static final String ESDB_RETRY_BACKOFF_MS = "esdb.retry.backoff.ms";
  public static final String ESDB_RETRY_BACKOFF_MAX_MS = "esdb.retry.backoff.max.ms";
  public static final String ESDB_RETRY_TIMEOUT_MS = "esdb.retry.timeout.ms";
  public static final String HTTP_LISTEN = "http.listen";

  /** Loopback, and clear of Kafka Connect's 8083 and KurrentDB's 2113. */
  public static final String DEFAULT_HTTP_LISTEN = "127.0.0.1:8089";

  public static final String STARTUP_TIMEOUT_MS = "startup.timeout.ms";
  public static final String PROGRESS_INTERVAL_MS = "progress.interval.ms";
  public static final String ESDB_APPEND_MODE = "esdb.append.mode";
  public static final String ESDB_BATCH_APPEND = "esdb.batch.append";
  public static final String PENDING_MAX_EVENTS = "pending.max.events";

  /** What to do with a row of a table that has no primary key (its record key is null). */
  public enum MissingKeyPolicy {
    /** Dead-letter it with error {@code missing-key}. */
    DEAD_LETTER,
    /** Write it to the table's own stream ({@code customers}), in binlog order. */
    TABLE_STREAM
  }

  public static final ConfigDef CONFIG_DEF =
      new ConfigDef()
          .define(
              TOPIC_PREFIX,
              Type.STRING,
              "dbserver1",
              new ConfigDef.NonEmptyString(),
              Importance.HIGH,
              "Debezium's topic.prefix: data topics are <prefix>.<db>.<table>, the transaction"
                  + " topic <prefix>.transaction.")
          .define(
              DATA_TOPICS_PATTERN,
              Type.STRING,
              "",
              CdcConfig::validatePattern,
              Importance.MEDIUM,
              "Regex of the Debezium table topics to read. Empty: <prefix>\\.[^.]+\\.[^.]+ (every"
                  + " table of the prefix, which excludes <prefix>.transaction and <prefix>).")
          .define(
              TRANSACTION_TOPIC,
              Type.STRING,
              "",
              Importance.MEDIUM,
              "Debezium's transaction metadata topic. Empty: <prefix>.transaction.")
          .define(
              DEAD_LETTER_TOPIC,
              Type.STRING,
              "cdc2esdb-dead-letter",
              new ConfigDef.NonEmptyString(),
              Importance.HIGH,
              "Topic for records that cannot be written; headers __streams.errors.* say why and"
                  + " where they came from.")
          .define(
              DEAD_LETTER_MAX_BYTES,
              Type.LONG,
              1_000_000L,
              Range.atLeast(1024),
              Importance.MEDIUM,
              "Largest value plus headers a dead letter carries: a larger value is left out"
                  + " (header __cdc2esdb.value.omitted holds its size; the headers still name the"
                  + " source topic, partition and offset). Keep it below the dead-letter topic's"
                  + " max.message.bytes (the broker's default is 1 MiB).")
          .define(
              TRANSACTION_MAX_WAIT_MS,
              Type.LONG,
              10_000L,
              Range.atLeast(0),
              Importance.MEDIUM,
              "How long the head of the pending buffer may wait for its transaction's END before"
                  + " it is released anyway (wall-clock).")
          .define(
              TRANSACTION_RETENTION_MS,
              Type.LONG,
              86_400_000L,
              Range.atLeast(60_000),
              Importance.LOW,
              "How long the transactions store keeps a transaction (by the transaction topic's"
                  + " record time). Keep it above the longest lag a task may have behind the"
                  + " transaction topic.")
          .define(
              FLUSH_INTERVAL_MS,
              Type.LONG,
              100L,
              Range.atLeast(1),
              Importance.MEDIUM,
              "How often (wall-clock) the pending buffer is checked for changes that became"
                  + " releasable without new input (an END, the wait bound). Flushes themselves"
                  + " start as soon as the previous one is acknowledged.")
          .define(
              FLUSH_MAX_EVENTS,
              Type.INT,
              1_000,
              Range.atLeast(1),
              Importance.LOW,
              "About the most events one flush takes: it ends at the first transaction boundary"
                  + " past this many (a larger transaction is released whole).")
          .define(
              PENDING_MAX_EVENTS,
              Type.LONG,
              2_000L,
              Range.atLeast(1),
              Importance.LOW,
              "Above this many buffered events the input waits for EventStoreDB's answers, at"
                  + " most 500 ms per stream-thread loop (far below the transaction timeout). Up to"
                  + " 20,000 of them are also held as objects, so that releasing them reads nothing"
                  + " back.")
          .define(
              STREAM_NAME_FORMAT,
              Type.STRING,
              StreamNaming.DEFAULT_FORMAT,
              CdcConfig::validateStreamFormat,
              Importance.MEDIUM,
              "Stream name of a row, with {db}, {table} and {key} (last). Key columns are joined"
                  + " with '.'; structural characters are percent-encoded.")
          .define(
              EVENT_DATA,
              Type.STRING,
              "row",
              ValidString.in("row", "change", "envelope"),
              Importance.MEDIUM,
              "Event data: row (after, or before for Delete), change ({before, after}) or envelope"
                  + " (the Debezium payload).")
          .define(
              EVENT_VALUES,
              Type.STRING,
              "natural",
              ValidString.in("natural", "debezium"),
              Importance.MEDIUM,
              "Column values: natural (DECIMAL as exact text, temporal types as ISO-8601, unsigned"
                  + " BIGINT exact, BIT(n) as a number, JSON columns as JSON; types from the record's"
                  + " schema and Debezium's schema-change topic) or debezium (as Debezium encoded"
                  + " them).")
          .define(
              EVENT_VALUES_BINARY,
              Type.STRING,
              "base64",
              ValidString.in("base64", "hex"),
              Importance.LOW,
              "Natural values of BINARY, VARBINARY and BLOB columns: base64 or lower-case hex.")
          .define(
              EVENT_VALUES_JSON,
              Type.STRING,
              "value",
              ValidString.in("value", "text"),
              Importance.LOW,
              "Natural values of JSON columns: the JSON value itself, or its text.")
          .define(
              DECIMAL_HANDLING_MODE,
              Type.STRING,
              "precise",
              ValidString.in("precise", "string", "double"),
              Importance.LOW,
              "The connector's decimal.handling.mode. Only read for DECIMAL values without the"
                  + " schema wrapper, where base64 (precise) and text (string) can look alike.")
          .define(
              SCHEMA_CHANGES_TOPIC,
              Type.STRING,
              "",
              Importance.LOW,
              "Debezium's schema-change topic (include.schema.changes=true), read for column types"
                  + " when event.values=natural. Empty: <prefix>.")
          .define(
              EVENT_TYPES,
              Type.STRING,
              EventTypes.DEFAULT_MAPPING,
              CdcConfig::validateEventTypes,
              Importance.LOW,
              "Event type per Debezium op, as op=Type pairs.")
          .define(
              MISSING_KEY_POLICY,
              Type.STRING,
              "dead-letter",
              ValidString.in("dead-letter", "table-stream"),
              Importance.MEDIUM,
              "Rows of tables without a primary key: dead-letter, or table-stream (one stream per"
                  + " table).")
          .define(
              ESDB_CONNECTION_STRING,
              Type.PASSWORD,
              "esdb://127.0.0.1:2113?tls=false",
              CdcConfig::validateConnectionString,
              Importance.HIGH,
              "EventStoreDB connection string (esdb://, esdb+discover://, kurrentdb:// or"
                  + " kurrentdb+discover://); may hold credentials, so it is never logged.")
          .define(
              ESDB_MAX_APPEND_BYTES,
              Type.LONG,
              1_048_576L,
              Range.atLeast(1024),
              Importance.LOW,
              "The server's MaxAppendSize: appends are split to stay within it; a single larger"
                  + " event is dead-lettered.")
          .define(
              ESDB_MAX_INFLIGHT_APPENDS,
              Type.INT,
              64,
              Range.between(1, 1024),
              Importance.LOW,
              "Appends (one per stream) in flight at once during a flush; 64 measured best on 2"
                  + " cores (bench/writer-benchmark.md).")
          .define(
              ESDB_DEADLINE_MS,
              Type.LONG,
              10_000L,
              Range.atLeast(1),
              Importance.LOW,
              "Deadline of each call to EventStoreDB.")
          .define(
              ESDB_RETRY_BACKOFF_MS,
              Type.LONG,
              100L,
              Range.atLeast(1),
              Importance.LOW,
              "First backoff after a transient EventStoreDB failure; doubles on each retry.")
          .define(
              ESDB_RETRY_BACKOFF_MAX_MS,
              Type.LONG,
              1_000L,
              Range.atLeast(1),
              Importance.LOW,
              "Longest backoff between retries: also about how long writing takes to resume once"
                  + " EventStoreDB is back after an outage.")
          .define(
              ESDB_RETRY_TIMEOUT_MS,
              Type.LONG,
              120_000L,
              Range.atLeast(0),
              Importance.MEDIUM,
              "How long transient failures are retried before the task fails (and restarts from"
                  + " its last commit).")
          .define(
              HTTP_LISTEN,
              Type.STRING,
              DEFAULT_HTTP_LISTEN,
              CdcConfig::validateListen,
              Importance.MEDIUM,
              "host:port of the HTTP surface (interactive queries, health, metrics); port 0 picks a"
                  + " free one; empty turns it off. Other instances reach it at"
                  + " application.server, which defaults to this address; a wildcard host"
                  + " (0.0.0.0) needs application.server set.")
          .define(
              STARTUP_TIMEOUT_MS,
              Type.LONG,
              30_000L,
              Range.atLeast(1),
              Importance.MEDIUM,
              "How long run waits at start-up for the Kafka cluster to answer its topic checks"
                  + " before it exits with code 3.")
          .define(
              PROGRESS_INTERVAL_MS,
              Type.LONG,
              60_000L,
              Range.atLeast(0),
              Importance.LOW,
              "How often run logs a progress line (events written, dead letters, lag, pending);"
                  + " 0: never.")
          .define(
              ESDB_APPEND_MODE,
              Type.STRING,
              "auto",
              ValidString.in("auto", "transaction", "per-stream"),
              Importance.MEDIUM,
              "transaction: each database transaction is one atomic multi-stream append"
                  + " (KurrentDB 25.1+); per-stream: one append per stream (any server); auto:"
                  + " transaction when the server offers it, decided on first contact and logged.")
          .define(
              ESDB_BATCH_APPEND,
              Type.BOOLEAN,
              true,
              Importance.LOW,
              "Per-stream appends to a single node go over one long-lived Streams/BatchAppend"
                  + " call when the server lists it (EventStoreDB 21.10+), else one Streams/Append"
                  + " call each; false: always Streams/Append, for servers or proxies where"
                  + " BatchAppend misbehaves.");

  public CdcConfig(Map<?, ?> originals) {
    super(CONFIG_DEF, originals, false);
  }

  public String topicPrefix() {
    return getString(TOPIC_PREFIX);
  }

  public Pattern dataTopicsPattern() {
    String pattern = getString(DATA_TOPICS_PATTERN);
    if (pattern.isEmpty()) {
      String prefix = topicPrefix().replaceAll("[\\\\.\\[\\]{}()*+?^$|]", "\\\\$0");
      pattern = prefix + "\\.[^.]+\\.[^.]+";
    }
    return Pattern.compile(pattern);
  }

  public String transactionTopic() {
    String topic = getString(TRANSACTION_TOPIC);
    return topic.isEmpty() ? topicPrefix() + ".transaction" : topic;
  }

  public String schemaChangesTopic() {
    String topic = getString(SCHEMA_CHANGES_TOPIC);
    return topic.isEmpty() ? topicPrefix() : topic;
  }

  /** Whether column values are decoded into natural JSON ({@code event.values=natural}). */
  public boolean naturalValues() {
    return "natural".equals(getString(EVENT_VALUES));
  }

  public ValueOptions valueOptions() {
    return new ValueOptions(
        ValueOptions.Binary.valueOf(getString(EVENT_VALUES_BINARY).toUpperCase(Locale.ROOT)),
        ValueOptions.JsonColumns.valueOf(getString(EVENT_VALUES_JSON).toUpperCase(Locale.ROOT)),
        ValueOptions.DecimalHandling.valueOf(
            getString(DECIMAL_HANDLING_MODE).toUpperCase(Locale.ROOT)));
  }

  public String deadLetterTopic() {
    return getString(DEAD_LETTER_TOPIC);
  }

  public long deadLetterMaxBytes() {
    return getLong(DEAD_LETTER_MAX_BYTES);
  }

  public long transactionMaxWaitMs() {
    return getLong(TRANSACTION_MAX_WAIT_MS);
  }

  public long transactionRetentionMs() {
    return getLong(TRANSACTION_RETENTION_MS);
  }

  public long flushIntervalMs() {
    return getLong(FLUSH_INTERVAL_MS);
  }

  public int flushMaxEvents() {
    return getInt(FLUSH_MAX_EVENTS);
  }

  public StreamNaming streamNaming() {
    return new StreamNaming(getString(STREAM_NAME_FORMAT));
  }

  public EventData eventData() {
    return EventData.valueOf(getString(EVENT_DATA).toUpperCase(Locale.ROOT));
  }

  public EventTypes eventTypes() {
    return EventTypes.parse(getString(EVENT_TYPES));
  }

  public MissingKeyPolicy missingKeyPolicy() {
    return MissingKeyPolicy.valueOf(
        getString(MISSING_KEY_POLICY).toUpperCase(Locale.ROOT).replace('-', '_'));
  }

  /** The connection string; it may hold a password, so callers must not log it. */
  public Password esdbConnectionString() {
    return getPassword(ESDB_CONNECTION_STRING);
  }

  public long esdbMaxAppendBytes() {
    return getLong(ESDB_MAX_APPEND_BYTES);
  }

  public int esdbMaxInflightAppends() {
    return getInt(ESDB_MAX_INFLIGHT_APPENDS);
  }

  public long esdbDeadlineMs() {
    return getLong(ESDB_DEADLINE_MS);
  }

  public long esdbRetryBackoffMs() {
    return getLong(ESDB_RETRY_BACKOFF_MS);
  }

  public long esdbRetryBackoffMaxMs() {
    return getLong(ESDB_RETRY_BACKOFF_MAX_MS);
  }

  public long esdbRetryTimeoutMs() {
    return getLong(ESDB_RETRY_TIMEOUT_MS);
  }

  /** The HTTP surface's bind address, {@code host:port}; empty when it is off. */
  public String httpListen() {
    return getString(HTTP_LISTEN).trim();
  }

  private static void validateListen(String name, Object value) {
    String listen = ((String) value).trim();
    if (listen.isEmpty()) {
      return;
    }
    int colon = listen.lastIndexOf(':');
    String message = "expected host:port (port 0-65535), or empty for no HTTP";
    if (colon <= 0 || colon == listen.length() - 1) {
      throw new ConfigException(name, value, message);
    }
    try {
      int port = Integer.parseInt(listen.substring(colon + 1));
      if (port < 0 || port > 65_535) {
        throw new ConfigException(name, value, message);
      }
    } catch (NumberFormatException e) {
      throw new ConfigException(name, value, message);
    }
  }

  public long startupTimeoutMs() {
    return getLong(STARTUP_TIMEOUT_MS);
  }

  public long progressIntervalMs() {
    return getLong(PROGRESS_INTERVAL_MS);
  }

  public boolean esdbBatchAppend() {
    return getBoolean(ESDB_BATCH_APPEND);
  }

  public AppendMode appendMode() {
    return AppendMode.fromConfig(getString(ESDB_APPEND_MODE));
  }

  public long pendingMaxEvents() {
    return getLong(PENDING_MAX_EVENTS);
  }

  private static void validatePattern(String name, Object value) {
    try {
      Pattern.compile((String) value);
    } catch (PatternSyntaxException e) {
      throw new ConfigException(
          name, value, "not a valid regular expression: " + e.getDescription());
    }
  }

  private static void validateConnectionString(String name, Object value) {
    try {
      EsdbConnectionString.validate(((Password) value).value());
    } catch (IllegalArgumentException e) {
      // The Password prints as [hidden]; the message masks the password it quotes.
      throw new ConfigException(name, value, e.getMessage());
    }
  }

  private static void validateStreamFormat(String name, Object value) {
    try {
      new StreamNaming((String) value);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(name, value, e.getMessage());
    }
  }

  private static void validateEventTypes(String name, Object value) {
    try {
      EventTypes.parse((String) value);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(name, value, e.getMessage());
    }
  }
}
