package io.cdc2esdb.docker;

import static org.assertj.core.api.Assertions.assertThat;

import io.cdc2esdb.dev.Loopback;
import io.debezium.connector.mariadb.MariaDbConnector;
import io.debezium.connector.mysql.MySqlConnector;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigValue;
import org.apache.kafka.connect.source.SourceConnector;
import org.junit.jupiter.api.Test;

/**
 * The connector files the compose stack registers, validated by the connectors themselves as Kafka
 * Connect does on a POST, without a database: every setting must pass, and the one error left is
 * that nothing answers on the closed loopback port the test puts in. This is all that can be
 * checked of {@code mysql.json} here (no MySQL server); {@code ConnectRegistrationIT} runs {@code
 * mariadb.json}.
 */
class ConnectorFilesTest {

  @Test
  void shouldPassTheMySqlConnectorsOwnValidation() {
    assertOnlyTheConnectionFails(new MySqlConnector(), "mysql.json");
  }

  @Test
  void shouldPassTheMariaDbConnectorsOwnValidation() {
    assertOnlyTheConnectionFails(new MariaDbConnector(), "mariadb.json");
  }

  @Test
  void shouldNameTheConnectorClassItIsValidatedWith() {
    assertThat(DockerStack.connectorFile("mysql.json").at("/config/connector.class").asText())
        .isEqualTo(MySqlConnector.class.getName());
    assertThat(DockerStack.connectorFile("mariadb.json").at("/config/connector.class").asText())
        .isEqualTo(MariaDbConnector.class.getName());
  }

  @Test
  void shouldRejectASettingTheConnectorDoesNotAccept() {
    // The check above can fail: a wrong spelling of the MariaDB connector's ssl mode.
    Map<String, String> config = config("mariadb.json");
    config.put("database.ssl.mode", "disabled");

    assertThat(errors(new MariaDbConnector(), config)).containsKey("database.ssl.mode");
  }

  private static void assertOnlyTheConnectionFails(SourceConnector connector, String file) {
    Map<String, List<String>> errors = errors(connector, config(file));

    assertThat(errors).as(file).containsOnlyKeys("database.hostname");
    assertThat(String.join(" ", errors.get("database.hostname"))).as(file).contains("connect");
  }

  private static Map<String, String> config(String file) {
    Map<String, String> config = new LinkedHashMap<>();
    DockerStack.connectorFile(file)
        .get("config")
        .properties()
        .forEach(e -> config.put(e.getKey(), e.getValue().asText()));
    config.put("database.hostname", Loopback.HOST);
    config.put("database.port", String.valueOf(Loopback.freePort()));
    return config;
  }

  private static Map<String, List<String>> errors(
      SourceConnector connector, Map<String, String> config) {
    Map<String, List<String>> errors = new LinkedHashMap<>();
    for (ConfigValue value : connector.validate(config).configValues()) {
      if (!value.errorMessages().isEmpty()) {
        errors.put(value.name(), value.errorMessages());
      }
    }
    return errors;
  }
}
