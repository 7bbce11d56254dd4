package io.cdc2esdb.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;

/**
 * All of a run's configuration: one properties file, then environment variables {@code
 * CDC2ESDB_<KEY>} (upper case, dots as underscores: {@code CDC2ESDB_BOOTSTRAP_SERVERS}) over it.
 * cdc2esdb's own keys go to {@link CdcConfig}; every other key is a Kafka Streams (or client)
 * setting and passes through under its own name, over cdc2esdb's defaults for them.
 */
public final class Settings {

  public static final String ENV_PREFIX = "CDC2ESDB_";

  /** Prefixes under which Kafka Streams passes a setting to one of its clients. */
  private static final List<String> CLIENT_PREFIXES =
      List.of(
          StreamsConfig.MAIN_CONSUMER_PREFIX,
          StreamsConfig.RESTORE_CONSUMER_PREFIX,
          StreamsConfig.GLOBAL_CONSUMER_PREFIX,
          StreamsConfig.CONSUMER_PREFIX,
          StreamsConfig.PRODUCER_PREFIX,
          StreamsConfig.ADMIN_CLIENT_PREFIX);

  private final CdcConfig cdc;
  private final Properties streams;
  private final List<String> unknownKeys;

  private Settings(CdcConfig cdc, Properties streams, List<String> unknownKeys) {
    this.cdc = cdc;
    this.streams = streams;
    this.unknownKeys = unknownKeys;
  }

  /**
   * Validates and splits the given properties.
   *
   * @throws ConfigException naming the first bad key
   */
  public static Settings of(Map<?, ?> properties) {
    Map<String, Object> own = new HashMap<>();
    Properties streams = StreamsDefaults.defaults();
    properties.forEach(
        (k, v) -> {
          String key = String.valueOf(k);
          if (CdcConfig.CONFIG_DEF.names().contains(key)) {
            own.put(key, v);
          } else {
            streams.put(key, v);
          }
        });
    CdcConfig cdc = new CdcConfig(own);
    new StreamsConfig(streams); // fails fast, naming the key, before anything starts
    List<String> unknown =
        streams.stringPropertyNames().stream().filter(k -> !isKnown(k)).sorted().toList();
    return new Settings(cdc, streams, unknown);
  }

  /**
   * True for a Kafka Streams setting, a consumer, producer or admin client setting (also under the
   * prefixes Kafka Streams gives them), or an internal topic's setting ({@code topic.*}).
   */
  static boolean isKnown(String key) {
    if (StreamsConfig.configDef().names().contains(key) || isClientSetting(key)) {
      return true;
    }
    if (key.startsWith(StreamsConfig.TOPIC_PREFIX)) {
      return true;
    }
    for (String prefix : CLIENT_PREFIXES) {
      if (key.startsWith(prefix) && isClientSetting(key.substring(prefix.length()))) {
        return true;
      }
    }
    return false;
  }

  private static boolean isClientSetting(String key) {
    return ConsumerConfig.configNames().contains(key)
        || ProducerConfig.configNames().contains(key)
        || AdminClientConfig.configNames().contains(key);
  }

  /** Reads {@code file} (may be null), applies {@code env} overrides, validates. */
  public static Settings load(Path file, Map<String, String> env) {
    Properties merged = new Properties();
    if (file != null) {
      try (Reader reader = Files.newBufferedReader(file)) {
        merged.load(reader);
      } catch (IOException e) {
        throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage());
      }
    }
    merged.putAll(environmentOverrides(env));
    return of(merged);
  }

  static Map<String, String> environmentOverrides(Map<String, String> env) {
    Map<String, String> overrides = new HashMap<>();
    env.forEach(
        (name, value) -> {
          if (name.startsWith(ENV_PREFIX) && name.length() > ENV_PREFIX.length()) {
            String key =
                name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.');
            overrides.put(key, value);
          }
        });
    return overrides;
  }

  /**
   * Keys that are neither cdc2esdb's nor a Kafka Streams or client setting (a typo such as {@code
   * flsh.interval.ms}): passed on, and ignored by Kafka, so worth a warning.
   */
  public List<String> unknownKeys() {
    return unknownKeys;
  }

  public CdcConfig cdc() {
    return cdc;
  }

  /** A copy of the Kafka Streams properties, ready for {@code new KafkaStreams(...)}. */
  public Properties streams() {
    Properties copy = new Properties();
    copy.putAll(streams);
    return copy;
  }
}
