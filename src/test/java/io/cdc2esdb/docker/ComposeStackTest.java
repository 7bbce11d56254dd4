package io.cdc2esdb.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.cdc2esdb.config.CdcConfig;
import io.cdc2esdb.config.Settings;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/**
 * What can be checked of {@code docker/} without a Docker engine: the compose file, the connector
 * files it registers, cdc2esdb's configuration in it and the README that explains it agree with
 * each other and with cdc2esdb. {@code .ci/run} validates the file's syntax with docker-compose.
 */
class ComposeStackTest {

  private static final List<String> CONNECTOR_FILES = List.of("mysql.json", "mariadb.json");

  private final DockerStack stack = DockerStack.load();

  @Test
  void shouldFollowTheComposeSpecificationWithoutAVersionKey() {
    assertThat(stack.root().has("version")).isFalse();
    assertThat(stack.services()).contains("kafka", "connect", "kurrentdb", "cdc2esdb");
  }

  @Test
  void shouldPublishPortsOnLoopbackOnly() {
    List<String> published = new ArrayList<>();
    for (String service : stack.services()) {
      stack.service(service).path("ports").forEach(p -> published.add(p.asText()));
    }

    assertThat(published).isNotEmpty().allMatch(p -> p.startsWith("127.0.0.1:"));
  }

  @Test
  void shouldKeepEveryServiceOnThePrivateNetwork() {
    for (String service : stack.services()) {
      assertThat(stack.service(service).path("networks").toString())
          .as(service)
          .isEqualTo("[\"cdc\"]");
    }
  }

  @Test
  void shouldStartEachServiceOnlyOnceWhatItNeedsIsHealthyOrDone() {
    for (String service : stack.services()) {
      stack
          .service(service)
          .path("depends_on")
          .properties()
          .forEach(
              dependency -> {
                String target = dependency.getKey();
                String condition = dependency.getValue().path("condition").asText();
                String what = service + " -> " + target;
                assertThat(stack.services()).as(what).contains(target);
                // A service that runs in a profile cannot be waited on from outside it.
                assertThat(stack.profiles(service)).as(what).containsAll(stack.profiles(target));
                if (condition.equals("service_healthy")) {
                  assertThat(stack.service(target).has("healthcheck")).as(what).isTrue();
                } else {
                  assertThat(condition).as(what).isEqualTo("service_completed_successfully");
                  assertThat(stack.service(target).has("ports")).as(what).isFalse();
                }
              });
    }
  }

  @Test
  void shouldRunKafkaInKraftModeWithAHealthcheckThatAsksTheBroker() {
    Map<String, String> env = stack.environment("kafka");

    assertThat(stack.services()).noneMatch(s -> s.contains("zookeeper"));
    assertThat(env).containsEntry("KAFKA_PROCESS_ROLES", "broker,controller");
    assertThat(env.get("KAFKA_ADVERTISED_LISTENERS")).contains("PLAINTEXT://kafka:9092");
    assertThat(stack.service("kafka").at("/healthcheck/test").toString())
        .contains("kafka-broker-api-versions.sh --bootstrap-server localhost:9092");
  }

  @Test
  void shouldRunMySqlByDefaultAndMariaDbInItsProfileOnTheSameInitScripts() {
    assertThat(DockerStack.text(DockerStack.DOT_ENV)).contains("\nCOMPOSE_PROFILES=mysql\n");
    assertThat(stack.profiles("mysql")).containsExactly("mysql");
    assertThat(stack.profiles("mariadb")).containsExactly("mariadb");
    assertThat(stack.service("mysql").path("command").toString())
        .contains("--gtid-mode=ON", "--enforce-gtid-consistency=ON", "--binlog-format=ROW");
    assertThat(stack.service("mariadb").path("command").toString())
        .contains("--log-bin", "--binlog-format=ROW");
    for (String db : List.of("mysql", "mariadb")) {
      assertThat(stack.service(db).path("volumes").toString())
          .as(db)
          .contains("./initdb:/docker-entrypoint-initdb.d:ro");
    }
    assertThat(DockerStack.initScripts()).isNotEmpty();
  }

  @Test
  void shouldRegisterEachDatabasesConnectorFromItsFileOnceEverythingIsReady() {
    for (String db : List.of("mysql", "mariadb")) {
      String register = "register-" + db;
      JsonNode service = stack.service(register);

      assertThat(stack.profiles(register)).containsExactly(db);
      assertThat(service.path("volumes").toString()).contains("./connect:/connectors:ro");
      assertThat(service.path("entrypoint").toString())
          .contains("/connectors/register.sh", "/connectors/" + db + ".json");
      assertThat(service.path("depends_on").has("connect")).isTrue();
      assertThat(service.path("depends_on").has(db)).isTrue();
      assertThat(service.path("depends_on").has("topics")).isTrue();

      JsonNode config = DockerStack.connectorFile(db + ".json").get("config");
      assertThat(config.get("database.hostname").asText()).isEqualTo(db);
      assertThat(config.get("database.port").asText()).isEqualTo("3306");
      // The connector is a replication client: its server id must not be the server's own.
      assertThat(stack.service(db).path("command").toString())
          .contains("--server-id=")
          .doesNotContain("--server-id=" + config.get("database.server.id").asText() + "\"");
    }
    assertThat(DockerStack.connectorFile("mysql.json").at("/config/connector.class").asText())
        .isEqualTo("io.debezium.connector.mysql.MySqlConnector");
    assertThat(DockerStack.connectorFile("mariadb.json").at("/config/connector.class").asText())
        .isEqualTo("io.debezium.connector.mariadb.MariaDbConnector");
  }

  @Test
  void shouldGiveBothConnectorsTheSettingsCdc2esdbRelies() {
    for (String file : CONNECTOR_FILES) {
      JsonNode config = DockerStack.connectorFile(file).get("config");

      assertThat(config.get("provide.transaction.metadata").asText()).as(file).isEqualTo("true");
      assertThat(config.get("key.converter").asText())
          .as(file)
          .isEqualTo("org.apache.kafka.connect.json.JsonConverter");
      assertThat(config.get("value.converter").asText())
          .as(file)
          .isEqualTo("org.apache.kafka.connect.json.JsonConverter");
      assertThat(config.get("schema.history.internal.kafka.bootstrap.servers").asText())
          .as(file)
          .isEqualTo("kafka:9092");
      assertThat(config.get("database.user").asText()).as(file).isEqualTo("debezium");
      assertThat(DockerStack.text(DockerStack.INITDB.resolve("01-debezium-user.sql")))
          .contains(
              "'"
                  + config.get("database.user").asText()
                  + "'@'%' IDENTIFIED BY '"
                  + config.get("database.password").asText()
                  + "'");
    }
    assertThat(DockerStack.connectorFile("mysql.json").get("config"))
        .isNotEmpty()
        .allSatisfy(v -> assertThat(v.isTextual()).isTrue());
  }

  @Test
  void shouldLoadCdc2esdbsEnvironmentThroughTheSameSettingsAsRun() {
    Map<String, String> env = stack.environment("cdc2esdb");
    Settings settings = Settings.load(DockerStack.PROPERTIES, env);
    Properties streams = settings.streams();
    CdcConfig cdc = settings.cdc();

    assertThat(env)
        .isNotEmpty()
        .allSatisfy((name, value) -> assertThat(name).startsWith("CDC2ESDB_"));
    assertThat(streams.getProperty(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG)).isEqualTo("kafka:9092");
    assertThat(streams.getProperty(StreamsConfig.STATE_DIR_CONFIG)).isEqualTo("/var/lib/cdc2esdb");
    assertThat(streams.getProperty("metadata.max.age.ms")).isEqualTo("10000");
    URI esdb = URI.create(cdc.esdbConnectionString().value());
    assertThat(esdb.getHost()).isIn(stack.services()).isEqualTo("kurrentdb");
    assertThat(esdb.getPort()).isEqualTo(2113);
    for (String file : CONNECTOR_FILES) {
      assertThat(cdc.topicPrefix())
          .as(file)
          .isEqualTo(DockerStack.connectorFile(file).at("/config/topic.prefix").asText());
    }
  }

  @Test
  void shouldCreateEveryTopicCdc2esdbReadsOrWritesBeforeItStarts() {
    CdcConfig cdc = Settings.load(DockerStack.PROPERTIES, stack.environment("cdc2esdb")).cdc();
    List<String> topics = stack.createdTopics();
    Set<String> tableTopics = new LinkedHashSet<>();
    for (String table : DockerStack.initTables()) {
      tableTopics.add(cdc.topicPrefix() + "." + table);
    }

    assertThat(tableTopics).hasSize(3);
    assertThat(topics)
        .contains(cdc.transactionTopic(), cdc.deadLetterTopic(), cdc.topicPrefix())
        .containsAll(tableTopics);
    assertThat(tableTopics).allMatch(t -> cdc.dataTopicsPattern().matcher(t).matches());
    assertThat(topics)
        .filteredOn(t -> cdc.dataTopicsPattern().matcher(t).matches())
        .containsExactlyInAnyOrderElementsOf(tableTopics);
  }

  @Test
  void shouldDescribeEveryServiceOfTheComposeFileInTheReadmeAndNoOther() {
    // The first column of the README's services table.
    Matcher row =
        Pattern.compile("(?m)^\\| `([a-z0-9-]+)` \\|")
            .matcher(DockerStack.text(DockerStack.README));
    List<String> named = new ArrayList<>();
    while (row.find()) {
      named.add(row.group(1));
    }

    assertThat(named).containsExactlyInAnyOrderElementsOf(stack.services());
  }

  @Test
  void shouldLinkTheStackFromTheTopLevelQuickStart() {
    String readme = DockerStack.text(java.nio.file.Path.of("README.md"));
    String quickStart = readme.substring(readme.indexOf("## Quick start"));
    quickStart = quickStart.substring(0, quickStart.indexOf("\n## ", 3));

    assertThat(quickStart).contains("](docker/README.md)");
  }
}
