package io.cdc2esdb.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cdc2esdb.config.CdcConfig;
import io.cdc2esdb.config.Settings;
import io.cdc2esdb.dev.CaptureRecord;
import io.cdc2esdb.dev.ConnectWorker;
import io.cdc2esdb.dev.MariaDbInstance;
import io.cdc2esdb.dev.MariaDbRequirement;
import io.cdc2esdb.dev.TopicReader;
import io.cdc2esdb.dev.app.LocalPipeline;
import io.cdc2esdb.envelope.Json;
import io.cdc2esdb.sink.EsdbReader;
import io.cdc2esdb.sink.ReadEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The compose stack's Connect path, on real parts without Docker: a private MariaDB that ran {@code
 * docker/initdb/}, an embedded Kafka broker with the topics the {@code topics} service creates, a
 * Kafka Connect worker in distributed mode to which the test POSTs {@code
 * docker/connect/mariadb.json} (only host, port, credentials and the schema history's bootstrap
 * servers replaced), and cdc2esdb with the compose file's {@code CDC2ESDB_*} settings writing to
 * the EventStoreDB emulator. Then the SQL of {@code docker/README.md} changes rows, and the events
 * are where the README says.
 */
@MariaDbRequirement.RequiresMariaDb
class ConnectRegistrationIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(90);

  /** The connector settings that name where the servers are: all the test may change. */
  private static final List<String> SUBSTITUTED =
      List.of(
          "database.hostname",
          "database.port",
          "database.user",
          "database.password",
          "schema.history.internal.kafka.bootstrap.servers");

  private static final Path JAR = Path.of("target", "cdc2esdb.jar");
  private static final Path WORK = Path.of("target", "connect-registration-it");

  private static MariaDbInstance mariaDb;
  private static LocalPipeline pipeline;
  private static Process cdc2esdb;
  private static CdcConfig cdc;
  private static ConnectWorker connect;
  private static EsdbReader reader;
  private static ObjectNode registered;
  private static ConnectWorker.Response registration;
  private static String gtid;
  private static List<CaptureRecord> records;
  private static Map<String, List<ReadEvent>> streams;

  @BeforeAll
  static void registerTheComposeConnectorAndChangeRows() throws Exception {
    DockerStack stack = DockerStack.load();
    mariaDb = MariaDbInstance.start();
    for (Path script : DockerStack.initScripts()) {
      mariaDb.execute(DockerStack.statements(script).toArray(String[]::new));
    }
    pipeline = LocalPipeline.start();
    Map<String, Integer> topics = new LinkedHashMap<>();
    stack.createdTopics().forEach(t -> topics.put(t, 1));
    pipeline.createTopics(topics);
    Map<String, String> env = cdc2esdbEnvironment(stack);
    cdc = Settings.load(DockerStack.PROPERTIES, env).cdc();
    cdc2esdb = startTheProductionJar(env);

    connect = ConnectWorker.start(pipeline.bootstrapServers());
    registered = (ObjectNode) DockerStack.connectorFile("mariadb.json");
    ObjectNode config = (ObjectNode) registered.get("config");
    assertThat(SUBSTITUTED).allMatch(config::has);
    config.put("database.hostname", mariaDb.host());
    config.put("database.port", String.valueOf(mariaDb.port()));
    config.put("database.user", MariaDbInstance.DEBEZIUM_USER);
    config.put("database.password", MariaDbInstance.DEBEZIUM_PASSWORD);
    config.put("schema.history.internal.kafka.bootstrap.servers", pipeline.bootstrapServers());
    registration = connect.register(Json.text(registered));
    connect.awaitRunning(registered.get("name").asText(), TIMEOUT);
    connect.awaitStreaming(config.get("topic.prefix").asText(), TIMEOUT);

    gtid = runTheReadmesSql();
    TopicReader.readUntil(
        pipeline.bootstrapServers(),
        List.of(cdc.transactionTopic()),
        read -> read.stream().anyMatch(r -> isEnd(r, gtid)),
        TIMEOUT);
    reader = EsdbReader.connect(pipeline.esdbConnectionString(), 10_000);
    awaitTheReadmesTransactionInEventStoreDb();
    records = TopicReader.readAll(pipeline.bootstrapServers(), stack.createdTopics(), TIMEOUT);
    streams = new LinkedHashMap<>();
    reader.streams().forEach(s -> streams.put(s, reader.read(s)));
  }

  @AfterAll
  static void stopEverything() {
    if (reader != null) {
      reader.close();
    }
    if (connect != null) {
      connect.close();
    }
    stopCdc2esdb();
    if (pipeline != null) {
      pipeline.close();
    }
    if (mariaDb != null) {
      mariaDb.close();
    }
  }

  @Test
  void shouldAcceptTheComposeConnectorFileAsItIs() {
    JsonNode file = DockerStack.connectorFile("mariadb.json");

    assertThat(registration.code()).as(registration.body()).isEqualTo(201);
    assertThat(registered.get("name")).isEqualTo(file.get("name"));
    file.get("config")
        .properties()
        .forEach(
            setting -> {
              if (!SUBSTITUTED.contains(setting.getKey())) {
                assertThat(registered.get("config").get(setting.getKey()))
                    .as(setting.getKey())
                    .isEqualTo(setting.getValue());
              }
            });
    assertThat(registered.get("config").size()).isEqualTo(file.get("config").size());
  }

  @Test
  void shouldAnswerARegistrationRepeatedAfterARestartWithConflict() {
    // register.sh takes 409 for "registered before", as after a `docker compose restart`.
    assertThat(connect.register(Json.text(registered)).code()).isEqualTo(409);
  }

  @Test
  void shouldBringTheSnapshotAndTheChangesToTheTableTopicsInTheFilesFormat() {
    List<JsonNode> customers = values("dbserver1.inventory.customers");

    assertThat(customers)
        .extracting(v -> v.at("/payload/op").asText())
        .containsExactly("r", "r", "r", "r", "u");
    // schemas.enable=true in the file: the converter's schema wrapper, on keys and values
    assertThat(customers).allMatch(v -> v.has("schema"));
    CaptureRecord update = records("dbserver1.inventory.customers").get(4);
    assertThat(Json.withoutSchemaWrapper(parse(update.keyUtf8())).get("id").asInt())
        .isEqualTo(1004);
    // Kafka Connect writes header values bare; Debezium's embedded engine would write
    // "\"mariadb\"".
    assertThat(update.lastHeader("__debezium.context.connectorName").valueUtf8())
        .isEqualTo("mariadb");
  }

  @Test
  void shouldWriteTheTransactionsBeginAndEndToTheTransactionTopic() {
    List<JsonNode> markers =
        values(cdc.transactionTopic()).stream()
            .map(Json::withoutSchemaWrapper)
            .filter(m -> m.get("id").asText().equals(gtid))
            .toList();

    assertThat(gtid).matches("0-1-\\d+");
    assertThat(markers).extracting(m -> m.get("status").asText()).containsExactly("BEGIN", "END");
    assertThat(markers.get(1).get("event_count").asInt()).isEqualTo(2);
  }

  @Test
  void shouldWriteEverySnapshotRowToAStreamOfItsOwn() {
    List<String> snapshotRows = new ArrayList<>();
    for (String table : DockerStack.initTables()) {
      for (JsonNode value : values("dbserver1." + table)) {
        JsonNode change = Json.withoutSchemaWrapper(value);
        if (change.get("op").asText().equals("r")) {
          snapshotRows.add(change.at("/source/table").asText());
        }
      }
    }

    assertThat(snapshotRows).hasSize(11);
    assertThat(streams).hasSize(12);
    assertThat(streams.values())
        .filteredOn(events -> events.get(0).type().equals("Snapshot"))
        .hasSize(11);
    assertThat(streams.keySet())
        .contains("customers-1001", "orders-10003", "order_lines-10001.2", "order_lines-10003.1");
  }

  @Test
  void shouldPutTheReadmesTransactionWhereTheReadmeSays() {
    List<ReadEvent> customer = streams.get("customers-1004");
    List<ReadEvent> order = streams.get("orders-10004");

    assertThat(customer).extracting(ReadEvent::type).containsExactly("Snapshot", "Update");
    assertThat(parse(data(customer.get(1))).get("email").asText()).isEqualTo("anne@kretchmar.org");
    assertThat(order).extracting(ReadEvent::type).containsExactly("Insert");
    assertThat(List.of(customer.get(1), order.get(0)))
        .allMatch(e -> parse(metadata(e)).get("$correlationId").asText().equals(gtid));
    assertThat(reader.read("$bc-" + gtid))
        .extracting(e -> e.stream() + "@" + e.revision())
        .containsExactlyInAnyOrder("customers-1004@1", "orders-10004@0");
    assertThat(reader.read("$ce-customers")).hasSize(5);
  }

  @Test
  void shouldLeaveTheDeadLetterTopicEmpty() {
    assertThat(records(cdc.deadLetterTopic())).isEmpty();
  }

  /**
   * The compose file's cdc2esdb environment, with the embedded servers in place of the compose
   * services and a state directory of the test's (the image's volume path is the file's).
   */
  private static Map<String, String> cdc2esdbEnvironment(DockerStack stack) throws IOException {
    Map<String, String> env = new LinkedHashMap<>(stack.environment("cdc2esdb"));
    assertThat(env.put("CDC2ESDB_BOOTSTRAP_SERVERS", pipeline.bootstrapServers()))
        .isEqualTo("kafka:9092");
    assertThat(env.put("CDC2ESDB_ESDB_CONNECTION_STRING", pipeline.esdbConnectionString()))
        .startsWith("esdb://kurrentdb:2113");
    Files.createDirectories(WORK);
    Path state = Files.createTempDirectory(WORK, "state-");
    assertThat(env.put("CDC2ESDB_STATE_DIR", state.toString())).isNull();
    return env;
  }

  /** The image's ENTRYPOINT and CMD, on the production jar this build made. */
  private static Process startTheProductionJar(Map<String, String> env) throws IOException {
    assertThat(JAR).exists();
    ProcessBuilder run =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                JAR.toString(),
                "run",
                "--config",
                DockerStack.PROPERTIES.toString())
            .redirectErrorStream(true)
            .redirectOutput(WORK.resolve("cdc2esdb.log").toFile());
    run.environment().keySet().removeIf(name -> name.startsWith(Settings.ENV_PREFIX));
    run.environment().putAll(env);
    return run.start();
  }

  private static void awaitTheReadmesTransactionInEventStoreDb() throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (System.nanoTime() < deadline && cdc2esdb.isAlive()) {
      List<String> names = reader.streams();
      if (names.contains("orders-10004") && reader.read("customers-1004").size() == 2) {
        return;
      }
      Thread.sleep(250);
    }
    throw new AssertionError(
        "the README's transaction did not reach EventStoreDB (cdc2esdb "
            + (cdc2esdb.isAlive() ? "running" : "exited " + cdc2esdb.exitValue())
            + "); see "
            + WORK.resolve("cdc2esdb.log"));
  }

  private static void stopCdc2esdb() {
    if (cdc2esdb == null) {
      return;
    }
    cdc2esdb.destroy(); // SIGTERM, as docker stop sends
    try {
      if (!cdc2esdb.waitFor(30, TimeUnit.SECONDS)) {
        cdc2esdb.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      cdc2esdb.destroyForcibly();
    }
  }

  /** Runs the README's ```sql block on one connection; returns the GTID of its transaction. */
  private static String runTheReadmesSql() throws Exception {
    Matcher block =
        Pattern.compile("```sql\n(.*?)```", Pattern.DOTALL)
            .matcher(DockerStack.text(DockerStack.README));
    assertThat(block.find()).isTrue();
    try (Connection connection = mariaDb.connect();
        Statement statement = connection.createStatement()) {
      statement.execute("USE inventory");
      for (String sql : block.group(1).split(";\\s*")) {
        if (!sql.isBlank()) {
          statement.execute(sql);
        }
      }
      try (ResultSet last = statement.executeQuery("SELECT @@last_gtid")) {
        last.next();
        return last.getString(1);
      }
    }
  }

  private static boolean isEnd(CaptureRecord record, String gtid) {
    JsonNode marker = Json.withoutSchemaWrapper(parse(record.valueUtf8()));
    return "END".equals(marker.get("status").asText()) && gtid.equals(marker.get("id").asText());
  }

  private static List<CaptureRecord> records(String topic) {
    return records.stream().filter(r -> r.topic().equals(topic)).toList();
  }

  private static List<JsonNode> values(String topic) {
    return records(topic).stream()
        .filter(r -> !r.isTombstone())
        .map(r -> parse(r.valueUtf8()))
        .toList();
  }

  private static JsonNode parse(String json) {
    try {
      return Json.MAPPER.readTree(json);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + json, e);
    }
  }

  private static String data(ReadEvent event) {
    return new String(event.data(), StandardCharsets.UTF_8);
  }

  private static String metadata(ReadEvent event) {
    return new String(event.metadata(), StandardCharsets.UTF_8);
  }
}
