package io.cdc2esdb.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
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

  private final CdcConfig cdc;
  private final Properties streams;

  private Settings(CdcConfig cdc, Properties streams) {
    this.cdc = cdc;
    this.streams = streams;
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
    return new Settings(cdc, streams);
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
