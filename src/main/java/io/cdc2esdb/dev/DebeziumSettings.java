package io.cdc2esdb.dev;

import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

/**
 * The embedded engine's settings for the MariaDB connector, in one place so they can be read (and
 * tested) without starting anything.
 */
final class DebeziumSettings {

  static final String CONNECTOR_CLASS = "io.debezium.connector.mariadb.MariaDbConnector";

  private DebeziumSettings() {}

  static Properties properties(
      String host,
      int port,
      String user,
      String password,
      long serverId,
      String topicPrefix,
      List<String> databases,
      Path directory) {
    Properties p = new Properties();
    p.setProperty("name", "cdc2esdb-debezium-" + topicPrefix);
    p.setProperty("connector.class", CONNECTOR_CLASS);
    p.setProperty("database.hostname", host);
    p.setProperty("database.port", String.valueOf(port));
    p.setProperty("database.user", user);
    p.setProperty("database.password", password);
    // Every binlog client of one server needs its own id, or the server drops the older one.
    p.setProperty("database.server.id", String.valueOf(serverId));
    // "disable" is the MariaDB connector's spelling ("disabled" fails its validation).
    p.setProperty("database.ssl.mode", "disable");
    p.setProperty("topic.prefix", topicPrefix);
    if (!databases.isEmpty()) {
      p.setProperty("database.include.list", String.join(",", databases));
    }
    p.setProperty("provide.transaction.metadata", "true");
    p.setProperty("include.schema.changes", "true");
    p.setProperty("tombstones.on.delete", "true");
    // The default 500 ms would add half a second of latency to every change.
    p.setProperty("poll.interval.ms", "50");

    p.setProperty("offset.storage", "org.apache.kafka.connect.storage.FileOffsetBackingStore");
    p.setProperty("offset.storage.file.filename", directory.resolve("offsets.dat").toString());
    // The default (60 s) would make a restart re-read a minute of changes.
    p.setProperty("offset.flush.interval.ms", "1000");
    p.setProperty("schema.history.internal", "io.debezium.storage.file.history.FileSchemaHistory");
    p.setProperty(
        "schema.history.internal.file.filename",
        directory.resolve("schema-history.dat").toString());
    return p;
  }
}
